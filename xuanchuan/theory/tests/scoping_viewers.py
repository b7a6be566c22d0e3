"""The viewers part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): records of
东城街道 and its communities, none of which may reach charlie (西城街道).

A published item is public (its title may appear on the public classroom, so it is no secret);
what must not leak is a draft item, residents' questions still pending or rejected, and the answer
drafted for a pending question. Object URLs are filled with the draft item (public pages: 404 for
everyone) and with the questions and item of 东城 (staff pages: 404 for charlie)."""

from __future__ import annotations

from typing import Any

DRAFT_TITLE = "东城秘密未发布课程"
PENDING_TEXT = "东城秘密待审核的提问内容"
REJECTED_TEXT = "东城秘密未通过的提问内容"
ANSWER_TEXT = "东城秘密尚未公开的解答"
PUBLIC_TITLE = "云课堂公开课程（范围巡检）"

PUBLIC_ROUTES = ("theory:m_item", "theory:m_item_play", "theory:m_item_progress", "theory:m_item_ask")
QUESTION_ROUTES = ("theory:question_decide", "theory:question_answer")

# Routes that list unit names on purpose, with the reason.
PUBLIC_UNIT_LISTS: dict[str, str] = {}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.theory.models import Question, QuestionStatus
    from xuanchuan.theory.services import viewers as services
    from xuanchuan.theory.tests.factories import make_category, make_item, viewer_id

    category = make_category(district.east, name="东城巡检类别")
    make_item(category, title=DRAFT_TITLE, published=False)
    public = make_item(category, title=PUBLIC_TITLE, unit=district.east_community)
    viewer = viewer_id()
    services.record_play(public, viewer)
    pending = services.ask_question(public, viewer, text=PENDING_TEXT)
    services.answer_question(pending, answer=ANSWER_TEXT, by=people["bob"])
    rejected = services.ask_question(public, viewer, text=REJECTED_TEXT)
    services.reject_question(rejected, by=people["bob"])
    assert Question.objects.filter(status=QuestionStatus.PENDING).exists()
    return [DRAFT_TITLE, PENDING_TEXT, REJECTED_TEXT, ANSWER_TEXT]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.theory.models import ClassItem, Question

    if route_name in PUBLIC_ROUTES:
        draft = ClassItem.objects.get(title=DRAFT_TITLE)
        return [{"pk": draft.pk}]
    if route_name == "api:theory_viewers_item_detail":
        return [{"item_id": ClassItem.objects.get(title=DRAFT_TITLE).pk}]
    if route_name in QUESTION_ROUTES:
        return [{"pk": question.pk} for question in Question.objects.filter(item__title=PUBLIC_TITLE).order_by("pk")]
    if route_name == "theory:item_stats":
        return [{"pk": item.pk} for item in ClassItem.objects.filter(title__in=[DRAFT_TITLE, PUBLIC_TITLE])]
    return None
