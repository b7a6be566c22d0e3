"""The proofreading part of the publishing app's share of the URL walk (see ``tests/scoping.py``).

Lexicon entries and names-and-titles are district-wide configuration that every member of staff
reads; their change pages exist only for lexicon keepers, so the outsider (a unit reporter) gets
404 for them. An allow-list entry of a publication is seen only by whoever sees the publication.
"""

from __future__ import annotations

from typing import Any

SECRET_ALLOWED = "东城稿件白名单词"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.publishing.models import AllowedFinding, LexiconEntry, NameTitle, Publication

    bob = people["bob"]
    publication = Publication.objects.create(unit=district.east, title="东城校对稿件", created_by=bob)
    AllowedFinding.objects.create(
        scope="publication", publication=publication, kind="misused", text=SECRET_ALLOWED, created_by=bob
    )
    AllowedFinding.objects.create(scope="site", kind="placeholder", text="XX")
    LexiconEntry.objects.create(kind="misused", term="再接再励", suggestion="再接再厉")
    NameTitle.objects.create(name="张三", titles="区长")
    return [SECRET_ALLOWED, "东城校对稿件"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.publishing.models import AllowedFinding, LexiconEntry, NameTitle

    if route_name in ("publishing:lexicon_edit", "publishing:lexicon_toggle"):
        return [{"pk": pk} for pk in LexiconEntry.objects.values_list("pk", flat=True)]
    if route_name in ("publishing:name_edit", "publishing:name_toggle"):
        return [{"pk": pk} for pk in NameTitle.objects.values_list("pk", flat=True)]
    if route_name == "publishing:allowed_remove":
        # The publication's entry is not the outsider's to see; the site-wide one not theirs to remove.
        return [{"pk": pk} for pk in AllowedFinding.objects.values_list("pk", flat=True)]
    return None
