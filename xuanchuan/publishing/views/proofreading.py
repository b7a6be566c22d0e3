"""Pages of the proofreading part: the proofreading page (every signed-in member of staff), the
lexicons (own entries and the shipped defaults, with import and export), the allow-list and the
leaders' names and titles. Reading is open to all staff; changing is for lexicon keepers
(``may_edit_lexicons``): to anyone else the change pages do not exist (404). Thin: the writes are
``services.lexicons``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, refusal_text, run_service
from xuanchuan.core.views import style_form
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.forms.proofreading import (
    ProofreadForm,
)
from xuanchuan.publishing.permissions import may_edit_lexicons, may_proofread
from xuanchuan.publishing.services import lexicons as services


def keeper_or_404(request: HttpRequest) -> None:
    """Change pages exist only for lexicon keepers: to anyone else they answer 404."""
    if not may_edit_lexicons(request.user):
        raise Http404


def safe_next(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- The proofreading page -----------------------------------------------------------------------------


def _proofread_text(request: HttpRequest, form: ProofreadForm) -> str | None:
    """The text to check: the uploaded file's, else the pasted one; ``None`` after an error."""
    upload = form.cleaned_data.get("file")
    if not upload:
        return form.cleaned_data["text"]
    try:
        return proofreading.read_document(upload.name, upload.read())
    except ServiceError as exc:
        form.add_error("file", refusal_text(exc))
        return None


def _apply_all(text: str, findings: list) -> str:
    """Every suggestion applied, from the end backwards, skipping one that overlaps the last."""
    limit = len(text) + 1
    for finding in sorted(findings, key=lambda f: (f.start, f.end), reverse=True):
        if finding.end <= limit and finding.suggestion:
            changed = proofreading.apply_suggestion(text, finding)
            if changed != text:
                text = changed
                limit = finding.start
    return text


@login_required
def proofread(request: HttpRequest) -> HttpResponse:
    """校对: paste or upload a text, see the findings marked in it, accept a suggestion with one
    click, mark a finding "not an error" (lexicon keepers), download the corrected text."""
    if not may_proofread(request.user):
        raise PermissionDenied
    text: str | None = None
    form = ProofreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = _proofread_text(request, form)
        if text is not None:
            action, key = "check", ""
            for name in ("download", "accept_all", "accept", "allow"):
                if name in request.POST:
                    action, key = name, request.POST[name]
                    break
            if action == "download":
                response = HttpResponse(text.replace("\n", "\r\n"), content_type="text/plain; charset=utf-8")
                response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%A0%A1%E5%AF%B9%E5%90%8E.txt"
                return response
            if action in ("accept", "allow"):
                finding = proofreading.find_again(text, key, proofreading.check_text(text))
                if finding is None:
                    messages.warning(request, _("文字已改动，这条问题已不在原处，请看新的检查结果。"))
                elif action == "accept":
                    text = proofreading.apply_suggestion(text, finding)
                else:
                    run_service(
                        request,
                        lambda: services.allow_finding(kind=finding.kind, text=finding.text, by=request.user),
                        success=_("已标记“%(text)s”不是错误，全站不再提示。") % {"text": finding.text},
                    )
            elif action == "accept_all":
                text = _apply_all(text, proofreading.check_text(text))
            # The form shows the text as it now is (after an accepted suggestion).
            form = ProofreadForm(initial={"text": text})
            form.fields["text"].widget.attrs["rows"] = 5
    context: dict[str, Any] = {
        "title": _("文字校对"),
        "form": style_form(form, "md"),
        "checked": text is not None,
        "may_allow": may_edit_lexicons(request.user),
        "pf_actions": True,
    }
    if text is not None:
        findings = proofreading.check_text(text)
        context.update(proofreading.findings_context(text, findings))
        context["can_accept_any"] = any(f.suggestion for f in findings)
    return render(request, "publishing/proofreading/proofread.html", context)
