"""Pages of publications: the list, a publication with its review, write and edit, versions and
their diff, attachments. Thin: reads through ``queries.review`` (scoped), writes through the
services; another unit's publication answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, visible_or_404
from xuanchuan.publishing.diff import counts, diff_html
from xuanchuan.publishing.forms.publications import (
    ApproveForm,
    AttachmentForm,
    PublicationFilterSet,
    PublicationForm,
    ReasonForm,
)
from xuanchuan.publishing.models import Publication, ReviewTask, TaskStatus
from xuanchuan.publishing.permissions import may_take_down, may_write
from xuanchuan.publishing.queries import review as queries
from xuanchuan.publishing.services import publications as services
from xuanchuan.publishing.services import review as review_services


class PublicationListView(ScopedListView):
    """Publications the user may see: their unit's, and those sent to outlets their unit runs."""

    model = Publication
    title = gettext_lazy("稿件")
    filterset_class = PublicationFilterSet
    search_fields = ("title", "author_name")
    template_name = "publishing/publications/list.html"
    columns = (
        ("title", gettext_lazy("标题")),
        ("unit__name", gettext_lazy("撰稿单位")),
        ("author_name", gettext_lazy("作者")),
        ("status_text", gettext_lazy("状态")),
        ("get_urgency_display", gettext_lazy("紧急程度")),
        ("status_since", gettext_lazy("进入当前状态时间")),
        ("published_at", gettext_lazy("发布时间")),
    )
    export_name = "publications"

    def base_queryset(self) -> QuerySet:
        waiting = ReviewTask.objects.filter(  # scoping: allowed (a column of rows read through visible_to)
            round__publication=OuterRef("pk"), status=TaskStatus.IN_PROGRESS, holder__isnull=True
        )
        publications = Publication.objects.select_related("unit")  # scoping: allowed (get_queryset adds visible_to)
        return publications.annotate(waiting_claim=Exists(waiting))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_write"] = may_write(self.request.user)
        return context


def _publication(request: HttpRequest, pk: Any) -> Publication:
    rows = Publication.objects.select_related("unit", "created_by")  # scoping: allowed (visible_or_404 scopes)
    return visible_or_404(rows, request.user, pk)


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A publication: its text, who holds it now and since when, the review so far, the
    proofreading findings for reviewers, and the actions open to this user."""
    publication = _publication(request, pk)
    info = queries.detail(request.user, publication)
    context = {
        "title": publication.title,
        "publication": publication,
        "info": info,
        "approve_form": ApproveForm(),
        "return_form": ReasonForm(),
        "takedown_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
        "findings_template": _findings_template(),
    }
    return render(request, "publishing/publications/detail.html", context)


def _findings_template() -> str:
    """The proofreading part's list of findings, or this part's plain one while it is absent."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("publishing/proofreading/_findings.html")
    except TemplateDoesNotExist:
        return "publishing/publications/_findings.html"
    return "publishing/proofreading/_findings.html"


def _save_form(request: HttpRequest, publication: Publication | None) -> HttpResponse:
    user = request.user
    if publication is None and not may_write(user):
        raise PermissionDenied
    if request.method == "POST":
        form = PublicationForm(request.POST, user=user, editing=publication is not None)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"],
                "body": data["body"],
                "summary": data["summary"],
                "author_name": data["author_name"],
                "source": data["source"],
                "outlets": data["outlets"],
                "columns": data["columns"],
                "urgency": data["urgency"],
                "planned_at": data["planned_at"],
            }
            if publication is None:
                saved = run_service(
                    request, lambda: services.create_publication(by=user, **fields), success=_("稿件已保存。")
                )
            else:
                saved = run_service(
                    request,
                    lambda: services.update_publication(publication, by=user, note=data.get("note", ""), **fields),
                    success=_("稿件已保存。"),
                )
            if saved is not None:
                if request.POST.get("then") == "submit":
                    run_service(
                        request, lambda: review_services.submit(saved, by=user), success=_("已提交审核（待初审）。")
                    )
                return redirect(saved)
    else:
        initial = PublicationForm.initial_for(publication) if publication else {"author_name": user.full_name}
        form = PublicationForm(initial=initial, user=user, editing=publication is not None)
    title = _("修改稿件") if publication else _("撰写稿件")
    return render(
        request,
        "publishing/publications/form.html",
        {
            "title": title,
            "form": form,
            "publication": publication,
            "attachments": list(publication.attachments.all()) if publication else [],
        },
    )


@login_required
def publication_create(request: HttpRequest) -> HttpResponse:
    """Write a new publication (a draft of the user's unit)."""
    return _save_form(request, None)


@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft, returned or withdrawn publication; a changed text is kept as a new version."""
    publication = _publication(request, pk)
    if not services.may_edit_scope(request.user, publication):
        raise Http404
    if not services.may_edit(request.user, publication):
        raise PermissionDenied
    return _save_form(request, publication)


@login_required
@require_POST
def publication_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the publication to 初审."""
    publication = _publication(request, pk)
    run_service(
        request, lambda: review_services.submit(publication, by=request.user), success=_("已提交审核（待初审）。")
    )
    return redirect(publication)


@login_required
@require_POST
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The author takes the publication back from review."""
    publication = _publication(request, pk)
    run_service(request, lambda: review_services.withdraw(publication, by=request.user), success=_("稿件已撤回。"))
    return redirect(publication)


@login_required
@require_POST
def publication_take_down(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a published item down (with a reason; the page asked for confirmation)."""
    publication = _publication(request, pk)
    if not may_take_down(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(
        request,
        lambda: review_services.take_down(publication, by=request.user, reason=reason),
        success=_("稿件已下架。"),
    )
    return redirect(publication)


@login_required
def publication_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side as one text with insertions and deletions marked (by character
    and word); ``?a=&b=`` are version numbers, by default the one before the latest and the latest."""
    publication = _publication(request, pk)
    versions = list(publication.versions.order_by("number"))
    if not versions:
        raise Http404
    by_number = {version.number: version for version in versions}

    def pick(name: str, default: int) -> Any:
        raw = request.GET.get(name, "")
        if not raw:
            return by_number[default]
        if not raw.isdigit() or int(raw) not in by_number:
            raise Http404
        return by_number[int(raw)]

    latest = versions[-1].number
    new = pick("b", latest)
    old = pick("a", versions[-2].number if len(versions) > 1 else latest)
    context = {
        "title": _("版本比较"),
        "publication": publication,
        "versions": versions,
        "old": old,
        "new": new,
        "title_diff": diff_html(old.title, new.title),
        "body_diff": diff_html(old.body_text, new.body_text),
        "counts": counts(old.body_text, new.body_text),
    }
    return render(request, "publishing/publications/diff.html", context)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an image or a file (checked by content, at most 10 MB)."""
    publication = _publication(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: services.add_attachment(publication, form.cleaned_data["file"], by=request.user),
            success=_("附件已上传。"),
        )
    else:
        from django.contrib import messages

        messages.error(request, _("请选择要上传的文件。"))
    return redirect(publication)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an attachment of a draft, returned or withdrawn piece (the page asked first)."""
    attachment = queries.visible_attachments(request.user).select_related("publication__unit").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    publication = attachment.publication
    run_service(request, lambda: services.delete_attachment(attachment, by=request.user), success=_("附件已删除。"))
    return redirect(publication)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, only for those who may see its publication."""
    attachment = queries.visible_attachments(request.user).filter(pk=pk if str(pk).isdigit() else 0).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    inline = attachment.kind == "image"
    response = FileResponse(
        handle, content_type=attachment.content_type, as_attachment=not inline, filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


def back_to(publication: Publication) -> HttpResponseRedirect:
    return redirect(publication)
