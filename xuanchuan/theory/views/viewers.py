"""Pages of the viewers part.

Residents (no account, phone first): the classroom (``m_classroom``: categories, search, newest
first), an item with its player, the resume notice and the questions (``m_item``), the player's
beacons (``m_item_play``, ``m_item_progress``: JSON) and a question (``m_item_ask``). The viewer is
the anonymous cookie of ``xuanchuan.theory.viewer``.

Staff (``may_manage_classroom``, items of their scope): the question queue with its review
(``question_queue``, ``question_decide``, ``question_answer``) and an item's figures
(``item_stats``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import ScopedListView, confirm_page, style_form, visible_or_404
from xuanchuan.theory import viewer as viewer_cookie
from xuanchuan.theory.forms.viewers import AnswerForm, ProgressForm, QuestionFilterSet, QuestionForm
from xuanchuan.theory.models import ClassItem, Question, QuestionStatus
from xuanchuan.theory.permissions import may_manage_classroom
from xuanchuan.theory.queries import viewers as queries
from xuanchuan.theory.services import viewers as services

PER_PAGE = 12
#: Beacons of one viewer: a normal player sends one every ~10 s plus one at each pause and seek.
PROGRESS_RATE = "30/m"
#: Plays counted from one client address: generous (a hall on one Wi-Fi), yet a script making up a
#: new viewer for every press cannot count thousands of plays a minute.
PLAYS_PER_ADDRESS = "60/m"


# --- Residents ------------------------------------------------------------------------------------


def duration_text(seconds: int) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour) of a length or position in seconds."""
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _category(options: list[Any], raw: str) -> Any:
    text = (raw or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return next((option for option in options if option.pk == int(text)), None)


def m_classroom(request: HttpRequest) -> HttpResponse:
    """云课堂: published items, newest first, by category (chips) and words of the title, speaker or
    description; twelve a page, posters loaded lazily. The public entry of the classroom."""
    categories = queries.public_categories()
    category = _category(categories, request.GET.get("c", ""))
    q = request.GET.get("q", "").replace("\x00", "").strip()[: queries.MAX_QUERY]
    page = Paginator(queries.classroom_items(category=category, q=q), PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        item.duration_text = duration_text(item.duration_seconds)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("云课堂"),
        "categories": categories,
        "category": category,
        "q": q,
        "page_obj": page,
        "query_string": query.urlencode(),
    }
    response = render(request, "theory/m/classroom.html", context)
    viewer_cookie.get_or_set(request, response)
    return response


def _item_page(
    request: HttpRequest, item: ClassItem, form: QuestionForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = viewer_cookie.current(request)
    progress = queries.viewer_progress(item, viewer)
    resume = progress.position if progress is not None and not request.GET.get("restart") else 0
    item.duration_text = duration_text(item.duration_seconds)
    context = {
        "title": item.title,
        "item": item,
        "resume": resume,
        "resume_text": duration_text(resume),
        "questions": queries.item_questions(item, viewer),
        "viewer": viewer,
        "form": form or QuestionForm(),
        "pending": QuestionStatus.PENDING,
        "shown": QuestionStatus.SHOWN,
    }
    response = render(request, "theory/m/item.html", context, status=status)
    viewer_cookie.get_or_set(request, response)
    return response


def m_item(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: the player (resuming where this phone stopped, with 从头播放), title, speaker,
    description, the questions shown and the viewer's own, and the form to ask one."""
    return _item_page(request, queries.public_item(pk))


def _beacon_viewer(request: HttpRequest) -> str | None:
    return viewer_cookie.current(request, create=False)


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@require_POST
@rate_limit("theory-play-address", PLAYS_PER_ADDRESS)
def m_item_play(request: HttpRequest, pk: int) -> HttpResponse:
    """The player's first press of play: one play per viewer, item and day (JSON)."""
    item = queries.public_item(pk)
    viewer = _beacon_viewer(request)
    if viewer is None:
        return _refused(_("无法识别观看者，请刷新页面后重试。"))
    if is_ratelimited(request, group="theory-play", key=lambda _g, _r: viewer, rate=PROGRESS_RATE, increment=True):
        return _refused(_("请求过于频繁，请稍后再试。"), 429)
    try:
        play, created = services.record_play(item, viewer)
    except services.ServiceError as exc:
        return _refused(refusal_text(exc))
    return JsonResponse({"day": play.day.isoformat(), "counted": created})


@require_POST
def m_item_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A beacon of the player (every ~10 s, at pause, seek and leaving the page): where the viewer
    is and the stretch played since the last one; 400 for numbers that are none, 404 for an item
    that is not published, 429 above the per-viewer rate."""
    item = queries.public_item(pk)
    viewer = _beacon_viewer(request)
    if viewer is None:
        return _refused(_("无法识别观看者，请刷新页面后重试。"))
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"detail": _("播放进度有误。"), "errors": form.errors.get_json_data()}, status=400)
    if is_ratelimited(request, group="theory-progress", key=lambda _g, _r: viewer, rate=PROGRESS_RATE, increment=True):
        return _refused(_("请求过于频繁，请稍后再试。"), 429)
    data = form.cleaned_data
    try:
        counted = services.record_progress(
            item, viewer, position=data["position"], watched_from=data["watched_from"], watched_to=data["watched_to"]
        )
    except services.ServiceError as exc:
        return _refused(refusal_text(exc))
    return JsonResponse(
        {
            "position": counted.progress.position,
            "watched_seconds": counted.progress.watched_seconds,
            "new_seconds": counted.new_seconds,
            "clipped": counted.clipped,
        }
    )


@require_POST
@rate_limit("theory-question", settings.THEORY_PUBLIC_RATE)
def m_item_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident's question under the item: kept pending (with the sensitive-word findings) until
    staff approve it; the asker sees it marked 待审核, nobody else does."""
    item = queries.public_item(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        viewer = viewer_cookie.current(request)
        data = form.cleaned_data
        asked = run_service(
            request,
            lambda: services.ask_question(item, viewer, text=data["text"], nickname=data["nickname"]),
            success=_("已提交，审核后显示。"),
        )
        if asked is not None:
            response = redirect(reverse("theory:m_item", args=[item.pk]) + "#questions")
            viewer_cookie.get_or_set(request, response)
            return response
    return _item_page(request, item, form=form, status=400)


# --- Staff ----------------------------------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_classroom(request.user):
        raise PermissionDenied


class QuestionQueueView(ScopedListView):
    """Residents' questions on items of the user's scope: pending ones first, among them those the
    sensitive-word check flagged; filters by status, item and flag; search; export."""

    model = Question
    template_name = "theory/viewers/question_queue.html"
    filterset_class = QuestionFilterSet
    search_fields = ("text", "nickname", "answer", "item__title")
    title = gettext_lazy("云课堂群众提问")
    export_name = "classroom_questions"
    columns = (
        ("created_at", gettext_lazy("提问时间")),
        ("item__title", gettext_lazy("课程")),
        ("nickname", gettext_lazy("称呼")),
        ("text", gettext_lazy("问题")),
        ("get_status_display", gettext_lazy("状态")),
        ("flag_text", gettext_lazy("敏感词提示")),
        ("answer", gettext_lazy("解答")),
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _require_manager(request)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> Any:
        # scoping: allowed — ScopedListView applies visible_to to it.
        return queries.questions_unscoped()

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.flag_text = "、".join(sorted({flag.get("text", "") for flag in row.flags or []}))
        # The table's first column links to the review page (core/object_list.html).
        row.get_absolute_url = reverse("theory:question_decide", args=[row.pk])
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pending_count"] = queries.waiting_review_count(self.request.user)
        return context


question_queue = QuestionQueueView.as_view()


def _decide_page(request: HttpRequest, question: Any, **extra: Any) -> HttpResponse:
    context = {"title": _("审核群众提问"), "question": question, "item": question.item, **extra}
    return render(request, "theory/viewers/question_decide.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Review a question: 通过 shows it under the item at once; 不予公开 asks for confirmation
    first (``?action=reject``), then hides it from everyone but its asker."""
    _require_manager(request)
    question = visible_or_404(queries.questions(request.user), request.user, pk)
    action = request.POST.get("action") or request.GET.get("action", "")
    back = reverse("theory:question_decide", args=[question.pk])
    if request.method == "POST" and action == "approve":
        run_service(
            request, lambda: services.approve_question(question, by=request.user), success=_("已通过，问题已公开。")
        )
        return redirect(back)
    if request.method == "POST" and action == "reject":
        run_service(request, lambda: services.reject_question(question, by=request.user), success=_("已设为不予公开。"))
        return redirect(back)
    if action == "reject":
        return confirm_page(
            request,
            title=_("不予公开"),
            quote=question.text,
            question=_("确定不公开这条提问吗？"),
            explain=_("不予公开后，只有提问者本人还能看到（标为“未通过”）；以后仍可重新通过。"),
            button=_("不予公开"),
            danger=True,
            hidden={"action": "reject"},
            back=back,
        )
    return _decide_page(request, question)


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Write or edit the answer to a question; shown to everyone with the question once it is shown."""
    _require_manager(request)
    question = visible_or_404(queries.questions(request.user), request.user, pk)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.answer_question(question, answer=form.cleaned_data["answer"], by=request.user),
            success=_("解答已保存。"),
        )
        if done is not None:
            return redirect("theory:question_decide", pk=question.pk)
    return render(
        request,
        "theory/viewers/answer.html",
        {"title": _("解答群众提问"), "question": question, "item": question.item, "form": style_form(form)},
    )


@login_required
def item_stats(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's figures: plays (one per viewer and day), distinct viewers, watch time (each
    stretch once), questions by status, and the last days with plays."""
    _require_manager(request)
    item = visible_or_404(ClassItem.objects.visible_to(request.user).select_related("category"), request.user, pk)
    stats = queries.item_stats(request.user, item)
    questions = queries.questions(request.user).filter(item=item).order_by("-created_at")[:20]
    context = {"title": _("课程数据"), "item": item, "stats": stats, "questions": questions}
    return render(request, "theory/viewers/item_stats.html", context)
