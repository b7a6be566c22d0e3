"""The publishing app's proofreading endpoints (added to ``publishing.api.router`` at
``/api/publishing/proofreading``): check a text with the platform's lexicons. Signed-in staff
only (the API's session authentication); a publication named by id must be one the user sees."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from xuanchuan.publishing import proofreading
from xuanchuan.publishing.permissions import may_proofread

router = Router(tags=["文字校对"])


class CheckIn(Schema):
    text: str = Field(..., max_length=proofreading.MAX_TEXT_CHARS, description="要校对的文字（不超过 5 万字）")
    publication: int | None = Field(
        None, ge=1, le=2**63 - 1, description="稿件编号：同时按该稿件的白名单过滤（须为可见的稿件）"
    )


class FindingOut(Schema):
    start: int
    end: int
    kind: str
    kind_label: str
    severity: str
    text: str
    suggestion: str
    reason: str
    line: int
    column: int


class CheckOut(Schema):
    count: int
    blocking: int
    findings: list[FindingOut]


@router.post("/check", response=CheckOut, summary="校对一段文字")
def check(request: HttpRequest, payload: CheckIn) -> dict:
    """The findings in ``text``: offsets are characters (Unicode code points) into ``text``; those
    marked "not an error" site-wide (and for the publication, if given) are left out."""
    if not may_proofread(request.user):
        raise HttpError(403, "您没有办理此事项的权限。")
    publication = None
    if payload.publication is not None:
        from xuanchuan.publishing.models import Publication

        publication = Publication.objects.visible_to(request.user).filter(pk=payload.publication).first()
        if publication is None:
            raise HttpError(404, "稿件不存在或不可见。")
    findings = proofreading.check_text(payload.text, publication=publication)
    rows = [
        {**row.finding.as_dict(), "kind_label": row.kind_label, "line": row.line, "column": row.column}
        for row in proofreading.finding_rows(payload.text, findings)
    ]
    return {"count": len(rows), "blocking": len(proofreading.blocking(findings)), "findings": rows}
