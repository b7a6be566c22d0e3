"""Shared pieces of the people part's tests: service records of a volunteer, the join form's data,
the recording SMS gateway and reading a sign-in code out of it."""

from __future__ import annotations

import re
import time
from datetime import date
from typing import Any

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.core.public import human_check_token
from xuanchuan.volunteers.models import RecordSource, RecordStatus, ServiceRecord
from xuanchuan.volunteers.tests.factories import id_number

RECORDING = "xuanchuan.arrivals.tests.sms.RecordingGateway"


def record(
    activity: Any, volunteer: Any, minutes: int, *, served_on: date | None = None, **fields: Any
) -> ServiceRecord:
    return ServiceRecord.objects.create(
        unit=activity.unit,
        activity=activity,
        volunteer=volunteer,
        source=fields.pop("source", RecordSource.SCAN),
        status=fields.pop("status", RecordStatus.CONFIRMED),
        minutes=minutes,
        served_on=served_on or activity.starts_at.date(),
        **fields,
    )


def join_data(unit: Any, n: int = 500, **fields: Any) -> dict[str, Any]:
    data = {
        "name": "王小明",
        "id_number": id_number(n),
        "phone": f"137{n:08d}",
        "community": unit.pk,
        "address": "幸福路1号",
        "skills": "医护",
        "availability": "周末",
        "consent": "on",
        "hp_website": "",
        "hp_started": human_check_token(time.time() - 10),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def last_code(number: str) -> str:
    for sent_to, text in reversed(RecordingGateway.sent):
        if sent_to == number:
            return re.search(r"\d{6}", text).group(0)
    raise AssertionError(f"no code sent to {number}")
