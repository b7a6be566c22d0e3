"""The works part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): calls of
东城街道, none of which may reach charlie (西城街道) or the public: a draft call with a pending work
(with an image), and a closed call whose exhibition is not open with an accepted and a rejected
work. Every staff object URL given one of them answers 404, and so does every public one (a draft
call, an exhibition not open, images of works not shown, a reference this browser did not send)."""

from __future__ import annotations

from typing import Any

DRAFT = "东城秘密作品征集"
CLOSED = "东城秘密已截止征集"
PENDING = "东城秘密待审作品"
ACCEPTED = "东城秘密入选作品"
REJECTED = "东城秘密落选作品"
PUBLIC_NAME = "东城秘密笔名"
AUTHOR = "东城秘密作者"

PUBLIC_UNIT_LISTS: dict[str, str] = {}

STAFF_CALL_ROUTES = (
    "culture:call_detail",
    "culture:call_edit",
    "culture:call_open",
    "culture:call_close",
    "culture:call_exhibition",
)
STAFF_WORK_ROUTES = ("culture:submission_detail", "culture:submission_decide")
IMAGE_ROUTES = ("culture:submission_image", "culture:submission_thumb")
PUBLIC_IMAGE_ROUTES = ("culture:m_work_image", "culture:m_work_thumb")


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.culture.models import CallStatus, SubmissionStatus
    from xuanchuan.culture.tests.factories_works import make_call, make_submission

    draft = make_call(district.east, title=DRAFT, status=CallStatus.DRAFT)
    make_submission(draft, title=PENDING, public_name=PUBLIC_NAME, author_name=AUTHOR)
    closed = make_call(district.east_community, title=CLOSED, status=CallStatus.CLOSED)
    make_submission(closed, title=ACCEPTED, status=SubmissionStatus.ACCEPTED, public_name=PUBLIC_NAME)
    make_submission(closed, title=REJECTED, status=SubmissionStatus.REJECTED, author_name=AUTHOR)
    return [DRAFT, CLOSED, PENDING, ACCEPTED, REJECTED, PUBLIC_NAME, AUTHOR]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.culture.models import CallForWorks, Submission

    mine = (
        STAFF_CALL_ROUTES + STAFF_WORK_ROUTES + IMAGE_ROUTES + PUBLIC_IMAGE_ROUTES
        + ("culture:m_call", "culture:m_exhibition", "culture:m_work", "culture:m_submitted")
        + ("api:culture_call_submissions",)
    )  # fmt: skip
    if route_name not in mine:
        return None
    draft = CallForWorks.objects.filter(title=DRAFT).order_by("pk").first()
    closed = CallForWorks.objects.filter(title=CLOSED).order_by("pk").first()
    if draft is None or closed is None:
        return None
    works = [Submission.objects.filter(title=title).order_by("pk").first() for title in (PENDING, ACCEPTED, REJECTED)]
    images = [work.images.order_by("pk").first() for work in works]
    if route_name in STAFF_CALL_ROUTES:
        return [{"pk": draft.pk}, {"pk": closed.pk}, {"pk": closed.pk, "_method": "post"}]
    if route_name in STAFF_WORK_ROUTES:
        return [{"pk": work.pk, "_method": "post"} for work in works] + [{"pk": works[0].pk}]
    if route_name in IMAGE_ROUTES:
        return [{"pk": work.pk, "image_pk": image.pk} for work, image in zip(works, images, strict=True)]
    if route_name in PUBLIC_IMAGE_ROUTES:
        return [{"image_pk": image.pk} for image in images]
    if route_name == "culture:m_call":
        return [{"pk": draft.pk}, {"pk": draft.pk, "_method": "post"}]
    if route_name == "culture:m_exhibition":
        return [{"pk": closed.pk}, {"pk": draft.pk}]
    if route_name == "culture:m_work":
        return [{"pk": closed.pk, "submission_pk": work.pk} for work in works]
    if route_name == "culture:m_submitted":
        return [{"reference": work.reference} for work in works]
    return [{"call_id": draft.pk}, {"call_id": closed.pk}]
