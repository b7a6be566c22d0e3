"""Records the works tests build on: a call for works (open now by default), a submitted work with
images made through the public service (so thumbnails exist), and small generated JPEG uploads.

Files go to ``MEDIA_ROOT``, which ``xuanchuan/conftest.py`` points at a folder of each test's own.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.services import works as services
from xuanchuan.org.models import Unit


def image_upload(name: str = "work.jpg", colour: str = "red", size: tuple[int, int] = (64, 48), fmt: str = "JPEG"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def make_call(
    unit: Unit,
    *,
    title: str = "剪纸作品征集",
    status: str = CallStatus.OPEN,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    exhibition_open: bool = False,
    art_forms: str = "剪纸、沙画、书画",
) -> CallForWorks:
    now = timezone.now()
    return CallForWorks.objects.create(
        unit=unit,
        title=title,
        theme="迎新春主题创作",
        art_forms=art_forms,
        opens_at=opens_at or now - timedelta(days=1),
        closes_at=closes_at or now + timedelta(days=10),
        consent_text=services.DEFAULT_CONSENT,
        status=status,
        exhibition_open=exhibition_open,
    )


def submission_input(**changes: Any) -> services.SubmissionInput:
    values: dict[str, Any] = {
        "title": "福字窗花",
        "art_form": "剪纸",
        "author_name": "王小红",
        "author_phone": "13912345678",
        "public_name": "巧手红",
        "consent": True,
        "images": [image_upload()],
    }
    values.update(changes)
    return services.SubmissionInput(**values)


def make_submission(call: CallForWorks, *, status: str = SubmissionStatus.PENDING, by: Any = None, **changes: Any):
    """A work submitted through the public service (the call must take works: it is opened for a
    moment if not), then decided as ``status``."""
    saved = (call.status, call.opens_at, call.closes_at)
    now = timezone.now()
    taking = services.taking_works(call, now)
    if not taking:
        CallForWorks.objects.filter(pk=call.pk).update(
            status=CallStatus.OPEN, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1)
        )
        call.refresh_from_db()
    submission = services.submit_work(call, submission_input(**changes))
    if not taking:
        CallForWorks.objects.filter(pk=call.pk).update(status=saved[0], opens_at=saved[1], closes_at=saved[2])
        call.refresh_from_db()
    if status != SubmissionStatus.PENDING:
        Submission.objects.filter(pk=submission.pk).update(
            status=status,
            decided_at=now,
            decided_by=by,
            note="" if status == SubmissionStatus.ACCEPTED else "不符合要求",
        )
        submission.refresh_from_db()
    return submission
