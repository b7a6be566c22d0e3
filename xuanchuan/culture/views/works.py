"""Staff pages of the works part: calls for works (list, create, edit, publish, close, the online
exhibition opened and closed), the review queue across calls (pending first), a work with its
images and the author masked (the reveal is logged by ``core.pii``), accept or reject with a note,
and the images themselves for those who see the call. The phone pages are ``works_public``.

Views are thin: forms check the input, ``services.works`` decides, ``run_service`` shows a refusal
as a message. Every page checks the role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from xuanchuan.core.pii import masked
from xuanchuan.core.services import run_service
from xuanchuan.core.views import StaffListView, confirm_then_run, style_form, visible_or_404
from xuanchuan.core.views import require_role as require
from xuanchuan.culture.forms import works as forms
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.permissions import may_manage_works
from xuanchuan.culture.queries import works as queries
from xuanchuan.culture.services import works as services

FORM_TEMPLATE = "culture/works/_form.html"


class WorksListView(StaffListView):
    """A staff list of the works part (``may_manage_works``), with its tabs."""

    permission = staticmethod(may_manage_works)
    template_name = "culture/works/list.html"
    tab = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        context["pending_total"] = queries.pending(self.request.user).count()
        return context


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class CallListView(WorksListView):
    """Calls in scope: filters status, year, unit; search; Excel; received/pending/accepted."""

    model = CallForWorks
    filterset_class = forms.CallFilterSet
    search_fields = ("title", "theme", "art_forms")
    title = gettext_lazy("作品征集")
    export_name = "calls-for-works"
    detail_url_name = "culture:call_detail"
    tab = "calls"
    columns = (
        ("title", gettext_lazy("征集名称")),
        ("art_forms", gettext_lazy("作品门类")),
        ("unit__name", gettext_lazy("主办单位")),
        ("opens", gettext_lazy("开始时间")),
        ("closes", gettext_lazy("截止时间")),
        ("get_status_display", gettext_lazy("状态")),
        ("received", gettext_lazy("收到作品")),
        ("pending", gettext_lazy("待审核")),
        ("accepted", gettext_lazy("入选")),
        ("exhibition", gettext_lazy("网上展览")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.calls(self.request.user).order_by("-opens_at", "-pk")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.opens, row.closes = _local(row.opens_at), _local(row.closes_at)
        row.exhibition = _("开放") if row.exhibition_open else _("未开放")
        return super().row_values(row, columns)


class SubmissionQueueView(WorksListView):
    """The review queue across the calls in scope: pending works unless another status is chosen;
    the first image as a thumbnail; the author masked, in the table and in the Excel export."""

    model = Submission
    filterset_class = forms.SubmissionFilterSet
    search_fields = ("title", "reference", "public_name", "art_form", "author_org", "call__title")
    title = gettext_lazy("征集作品审核")
    export_name = "submitted-works"
    detail_url_name = "culture:submission_detail"
    template_name = "culture/works/queue.html"
    tab = "queue"
    paginate_by = 24
    columns = (
        ("title", gettext_lazy("作品名称")),
        ("reference", gettext_lazy("编号")),
        ("call__title", gettext_lazy("作品征集")),
        ("art_form", gettext_lazy("门类")),
        ("shown_name", gettext_lazy("展示署名")),
        ("masked_name", gettext_lazy("作者姓名")),
        ("masked_phone", gettext_lazy("联系电话")),
        ("author_org", gettext_lazy("单位或村（社区）")),
        ("received", gettext_lazy("提交时间")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def export_columns(self) -> Any:
        return (
            *self.columns,
            ("image_count", gettext_lazy("图片数")),
            ("decided_by__full_name", gettext_lazy("审核人")),
            ("decided", gettext_lazy("审核时间")),
            ("note", gettext_lazy("审核意见")),
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "status" not in request.GET:  # the queue opens on the works waiting for review
            query = request.GET.copy()
            query["status"] = SubmissionStatus.PENDING
            request.GET = QueryDict(query.urlencode())
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet:
        return queries.with_first_image(queries.submissions(self.request.user)).order_by("created_at", "pk")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.shown_name = row.public_name or _("佚名")
        row.masked_name = masked(row, "author_name") if row.author_name else _("（已按期删除）")
        row.masked_phone = masked(row, "author_phone") if row.author_phone else _("（已按期删除）")
        row.received, row.decided = _local(row.created_at), _local(row.decided_at)
        return super().row_values(row, columns)


def _call(request: HttpRequest, pk: Any) -> CallForWorks:
    require(may_manage_works(request.user))
    return visible_or_404(CallForWorks.objects.visible_to(request.user).select_related("unit"), request.user, pk)


def _submission(request: HttpRequest, pk: Any) -> Submission:
    require(may_manage_works(request.user))
    return visible_or_404(queries.submissions(request.user), request.user, pk)


def form_page(request: HttpRequest, form: Any, *, title: str, back: str) -> HttpResponse:
    style_form(form)
    status = 400 if form.errors or request.method == "POST" else 200
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": back}, status=status)


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A call: its texts, dates, state, counts, the pending works, and its actions."""
    call = _call(request, pk)
    counts = queries.calls(request.user).filter(pk=call.pk).values("received", "pending", "accepted").first()
    waiting = queries.with_first_image(queries.pending(request.user).filter(call=call)).order_by("created_at")[:12]
    context = {
        "call": call,
        "title": call.title,
        "counts": counts,
        "waiting": list(waiting),
        "art_forms": services.art_form_list(call),
        "taking": services.taking_works(call),
        "not_taking": services.not_taking_reason(call),
        "can_open": call.status != CallStatus.OPEN,
        "can_close": call.status == CallStatus.OPEN,
        "can_exhibit": call.status != CallStatus.DRAFT,
    }
    return render(request, "culture/works/call_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    """A new call (saved unpublished: publish it from its page)."""
    require(may_manage_works(request.user))
    form = forms.CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            lambda: services.create_call(form.call_input(), by=request.user),
            success=_("已保存征集，核对无误后请点击“发布征集”。"),
        )
        if call is not None:
            return redirect("culture:call_detail", pk=call.pk)
    return form_page(request, form, title=_("新建作品征集"), back=reverse("culture:call_list"))


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    back = reverse("culture:call_detail", kwargs={"pk": call.pk})
    form = forms.CallForm(request.POST or None, user=request.user, initial=forms.CallForm.initial_for(call))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.update_call(call, form.call_input(), by=request.user), success=_("已保存。")
        )
        if done is not None:
            return redirect(back)
    return form_page(request, form, title=_("修改作品征集"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def call_open(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    return confirm_then_run(
        request,
        lambda: services.open_call(call, by=request.user),
        success=_("已发布，居民可在手机页面投稿。"),
        done_url=reverse("culture:call_detail", kwargs={"pk": call.pk}),
        title=_("发布征集"),
        question=_("发布“%(title)s”？") % {"title": call.title},
        explain=_("发布后，居民在开始时间到截止时间之间可以在手机页面投稿。"),
        button=_("发布征集"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    return confirm_then_run(
        request,
        lambda: services.close_call(call, by=request.user),
        success=_("已截止征集。"),
        done_url=reverse("culture:call_detail", kwargs={"pk": call.pk}),
        title=_("截止征集"),
        question=_("现在截止“%(title)s”？") % {"title": call.title},
        explain=_("截止后不再接收作品；截止时间未到的，改为现在。已收到的作品照常审核。"),
        button=_("截止征集"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_exhibition(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the online exhibition of the accepted works, or close it (a confirmation first)."""
    call = _call(request, pk)
    opening = not call.exhibition_open
    if opening:
        page = {
            "title": _("开放网上展览"),
            "question": _("公开展示“%(title)s”的入选作品？") % {"title": call.title},
            "explain": _("入选作品的图片、名称、门类和展示署名将在手机页面公开；不显示作者姓名和电话。"),
            "button": _("开放网上展览"),
        }
    else:
        page = {
            "title": _("关闭网上展览"),
            "question": _("关闭“%(title)s”的网上展览？") % {"title": call.title},
            "explain": _("关闭后居民不能再看到这些作品，可以随时重新开放。"),
            "button": _("关闭网上展览"),
            "danger": True,
        }
    return confirm_then_run(
        request,
        lambda: services.set_exhibition(call, open=opening, by=request.user),
        success=_("网上展览已开放。") if opening else _("网上展览已关闭。"),
        done_url=reverse("culture:call_detail", kwargs={"pk": call.pk}),
        **page,
    )


def _detail_context(request: HttpRequest, item: Submission, form: Any) -> dict[str, Any]:
    style_form(form)
    form.fields["decision"].widget.attrs["class"] = "form-check-input"
    return {
        "item": item,
        "call": item.call,
        "title": item.title,
        "images": queries.images_of(item, request.user),
        "form": form,
    }


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A work: its images, texts, the author (masked, reveal logged) and the review."""
    item = _submission(request, pk)
    form = forms.DecideForm(initial={"note": item.note})
    return render(request, "culture/works/submission_detail.html", _detail_context(request, item, form))


@login_required
@require_POST
def submission_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject a work (a rejection needs a note); then the next pending work of its call."""
    item = _submission(request, pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        done = run_service(
            request,
            lambda: services.decide(item, accept=accept, note=form.cleaned_data["note"], by=request.user),
            success=_("已审核：%(title)s（%(result)s）。")
            % {"title": item.title, "result": _("入选") if accept else _("不入选")},
        )
        if done is not None:
            following = queries.pending(request.user).filter(call=item.call_id).order_by("created_at", "pk").first()
            if following is not None and request.POST.get("next") == "1":
                return redirect("culture:submission_detail", pk=following.pk)
            return redirect(f"{reverse('culture:submission_queue')}?call={item.call_id}&status=pending")
    context = _detail_context(request, item, form)
    return render(request, "culture/works/submission_detail.html", context, status=400)


def _image_response(name: str, *, private: bool) -> HttpResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600" if private else "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _staff_image(request: HttpRequest, pk: int, image_pk: int) -> Any:
    from xuanchuan.culture.models import SubmissionImage

    require(may_manage_works(request.user))
    return visible_or_404(SubmissionImage.objects.visible_to(request.user), request.user, image_pk, submission_id=pk)


@login_required
def submission_image(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    """An image of a work, full size, for staff who see its call (any status)."""
    return _image_response(_staff_image(request, pk, image_pk).image.name, private=True)


@login_required
def submission_thumb(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    """The thumbnail of an image of a work, for staff who see its call."""
    image = _staff_image(request, pk, image_pk)
    try:
        name = services.ensure_thumbnail(image)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return _image_response(name, private=True)
