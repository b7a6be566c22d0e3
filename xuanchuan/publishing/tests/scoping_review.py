"""The review part of the publishing app's share of the URL walk (see ``tests/scoping.py``), and
the people and outlets the review's tests share (``reviewers``, ``news_site``, ``publication``)."""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode

REVIEW_ROUTES_BY_PUBLICATION = {
    "publishing:publication_detail",
    "publishing:publication_edit",
    "publishing:publication_submit",
    "publishing:publication_withdraw",
    "publishing:publication_take_down",
    "publishing:publication_diff",
    "publishing:publication_versions",
    "publishing:attachment_upload",
}


def news_site(district: Any) -> Any:
    """The district news site, run by 区委宣传部, with one column."""
    from xuanchuan.publishing.models import Column, Outlet, OutletKind

    outlet, _ = Outlet.objects.get_or_create(
        is_news_site=True,
        defaults={"unit": district.publicity, "name": "示范区政务网", "kind": OutletKind.WEBSITE},
    )
    Column.objects.get_or_create(outlet=outlet, slug="news", defaults={"unit": district.publicity, "name": "要闻"})
    return outlet


def reviewers(district: Any) -> dict[str, Any]:
    """Three reviewers of 区委宣传部, one per step (shen1 初审, shen2 复审, shen3 终审)."""
    from xuanchuan.conftest import make_person

    codes = {"shen1": RoleCode.REVIEWER_FIRST, "shen2": RoleCode.REVIEWER_SECOND, "shen3": RoleCode.REVIEWER_FINAL}
    names = {"shen1": "初审员", "shen2": "复审员", "shen3": "终审员"}
    found = {}
    for username, code in codes.items():
        from xuanchuan.org.models import User

        found[username] = User.objects.filter(username=username).first() or make_person(
            username, district.publicity, code, full_name=names[username]
        )
    return found


def publication(author: Any, district: Any, *, title: str = "东城街道开展文明实践活动", body: str = "", **extra: Any):
    from xuanchuan.publishing.services.publications import create_publication

    site = news_site(district)
    return create_publication(
        by=author,
        title=title,
        body=body or "<p>东城街道组织志愿者走进社区，开展垃圾分类宣传。</p>",
        outlets=[site],
        **extra,
    )


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.publishing.services.review import submit

    bob = people["bob"]
    draft = publication(bob, district, title="东城秘密草稿甲", body="<p>东城秘密正文乙</p>")
    submitted = publication(bob, district, title="东城送审稿件丙", body="<p>东城送审正文丁</p>")
    submit(submitted, by=bob)
    from xuanchuan.publishing.models import Attachment

    Attachment.objects.create(
        publication=draft, kind="file", stored_name="demo.pdf", original_name="东城附件戊.pdf",
        content_type="application/pdf", size=1,
    )  # fmt: skip
    people["_review_publications"] = [draft, submitted]
    return ["东城秘密草稿甲", "东城秘密正文乙", "东城送审稿件丙", "东城送审正文丁", "东城附件戊"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.publishing.models import Attachment, Publication, ReviewTask

    if route_name in REVIEW_ROUTES_BY_PUBLICATION:
        secret = Publication.objects.filter(unit=district.east)  # scoping: allowed (test records)
        return [{"pk": pk} for pk in secret.values_list("pk", flat=True)[:2]] or [{"pk": 999999}]
    if route_name in {"publishing:task_claim", "publishing:task_approve", "publishing:task_return",
                      "publishing:task_release"}:  # fmt: skip
        tasks = ReviewTask.objects.filter(round__publication__unit=district.east)  # scoping: allowed (test records)
        return [{"pk": pk} for pk in tasks.values_list("pk", flat=True)[:1]] or [{"pk": 999999}]
    if route_name in {"publishing:attachment_download", "publishing:attachment_delete"}:
        files = Attachment.objects.filter(publication__unit=district.east)  # scoping: allowed (test records)
        return [{"pk": pk} for pk in files.values_list("pk", flat=True)[:1]] or [{"pk": 999999}]
    if route_name == "api:publishing_review_publication_detail":
        secret = Publication.objects.filter(unit=district.east)  # scoping: allowed (test records)
        return [{"publication_id": pk} for pk in secret.values_list("pk", flat=True)[:2]]
    if route_name.startswith("api:publishing_review_task_"):
        tasks = ReviewTask.objects.filter(round__publication__unit=district.east)  # scoping: allowed (test records)
        return [{"task_id": pk, "_method": "post"} for pk in tasks.values_list("pk", flat=True)[:1]]
    return None
