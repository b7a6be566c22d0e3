"""Forms of the pass system: applications (staff and resident), decisions and the import."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import MobileField
from xuanchuan.core.public import HumanCheckFormMixin
from xuanchuan.core.services import ServiceError
from xuanchuan.core.uploads import xlsx_rows
from xuanchuan.org.models import Unit
from xuanchuan.passes.queries import communities
from xuanchuan.passes.services import IMPORT_COLUMNS, Application

MAX_IMPORT_BYTES = 2 * 1024 * 1024
# Lines of a household list, its header included (one community's households; split larger lists),
# and the columns read of each (the four named in IMPORT_COLUMNS and a few of the office's own).
IMPORT_MAX_ROWS = 5000
LIMITS = {"max_rows": IMPORT_MAX_ROWS, "max_columns": 20}


class ApplicationFields(forms.Form):
    """What every application asks (the community is chosen by staff, or by the resident's link)."""

    household_number = forms.CharField(label=_("户号"), max_length=40, help_text=_("如 3栋2单元501"))
    address = forms.CharField(label=_("住址"), max_length=200)
    holder_name = forms.CharField(label=_("持证人姓名"), max_length=50)
    holder_phone = MobileField(label=_("手机号码"), max_length=20)

    def application(self, community: Unit | None = None) -> Application:
        data = self.cleaned_data
        return Application(
            community=community or data["community"],
            household_number=data["household_number"],
            address=data["address"],
            holder_name=data["holder_name"],
            holder_phone=data.get("holder_phone") or "",
            valid_from=data.get("valid_from"),
        )


class StaffApplicationForm(ApplicationFields):
    """Community staff apply on a resident's behalf."""

    community = forms.ModelChoiceField(label=_("所在社区（村）"), queryset=Unit.objects.none())

    valid_from = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text=_("留空为今天"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities(user)
        self.fields["holder_phone"].required = False

    def clean_valid_from(self) -> Any:
        day = self.cleaned_data.get("valid_from")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("生效日期不能早于今天。"))
        if day and day > timezone.localdate() + timedelta(days=30):
            raise forms.ValidationError(_("生效日期不能晚于30天之后。"))
        return day


class ResidentApplicationForm(HumanCheckFormMixin, ApplicationFields):
    """A resident applies on the public page of their community (no account)."""


class ReasonForm(forms.Form):
    """The reason of a refusal, revocation or re-issue."""

    reason = forms.CharField(label=_("理由"), max_length=200, widget=forms.TextInput())


class ImportForm(forms.Form):
    """A household list: .xlsx or .csv with the columns 户号, 住址, 姓名, 手机号码."""

    community = forms.ModelChoiceField(label=_("社区（村）"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("住户名单（.xlsx 或 .csv）"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities(user)

    def clean_file(self) -> list[dict[str, str]]:
        """The rows as dicts keyed by the header row, read within limits (``core.uploads``)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件不能超过2MB。"))
        content = upload.read()
        try:
            lines = xlsx_rows(content, **LIMITS) if upload.name.lower().endswith(".xlsx") else _csv_lines(content)
        except ServiceError as exc:
            raise forms.ValidationError(exc.messages) from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise forms.ValidationError(_("无法读取文件，请使用模板中的 .xlsx 或 UTF-8 编码的 .csv。")) from exc
        if not lines or not {"户号", "姓名"} <= {cell.strip() for cell in lines[0]}:
            raise forms.ValidationError(_("第一行应为列名：%(columns)s。") % {"columns": "、".join(IMPORT_COLUMNS)})
        header = [cell.strip() for cell in lines[0]]
        return [dict(zip(header, line, strict=False)) for line in lines[1:] if any(cell.strip() for cell in line)]


def _csv_lines(content: bytes) -> list[list[str]]:
    """The non-empty lines of a UTF-8 .csv, as many as an .xlsx may have (``LIMITS``)."""
    lines: list[list[str]] = []
    for line in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if not any(cell.strip() for cell in line):
            continue
        if len(lines) == LIMITS["max_rows"]:
            raise ServiceError(_("文件超过 %(limit)d 行，请拆分后分批上传。") % {"limit": LIMITS["max_rows"]})
        lines.append(line[: LIMITS["max_columns"]])
    return lines
