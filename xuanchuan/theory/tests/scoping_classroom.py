"""The classroom part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): a
category, a draft item (with a poster) and a finished upload of 东城街道, none of which may reach
charlie (西城街道). A published item's media is public by design, so the walk asks for the
draft's media and poster (404 to an outsider)."""

from __future__ import annotations

from typing import Any

CATEGORY = "东城秘密课程类别"
ITEM = "东城秘密微宣讲"
SPEAKER = "东城秘密主讲人"
UPLOAD = "东城秘密上传.mp4"

# Routes that list unit names on purpose, with the reason.
PUBLIC_UNIT_LISTS: dict[str, str] = {}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from xuanchuan.theory.models import Upload
    from xuanchuan.theory.tests.factories import DEMO_MEDIA, make_category, make_item

    category = make_category(district.east, CATEGORY)
    item = make_item(category, title=ITEM, speaker=SPEAKER, published=False)
    item.poster.save("p.jpg", ContentFile((DEMO_MEDIA / "lecture-a.jpg").read_bytes()))
    Upload.objects.create(
        unit=district.east,
        created_by=people["bob"],
        filename=UPLOAD,
        size=10,
        received=10,
        created_at=timezone.now(),
        completed_at=timezone.now(),
    )
    return [CATEGORY, ITEM, SPEAKER, UPLOAD]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.theory.models import Category, ClassItem, Upload

    if route_name in ("theory:category_edit", "theory:category_deactivate", "theory:category_activate"):
        category = Category.objects.get(name=CATEGORY)
        return [{"pk": category.pk}, {"pk": category.pk, "_method": "post"}]
    if route_name in ("theory:upload_chunk", "theory:item_create"):
        upload = Upload.objects.get(filename=UPLOAD)
        return [{"pk": upload.pk}, {"pk": upload.pk, "_method": "post", "_query": {"offset": 10}}]
    if route_name in (
        "theory:item_detail",
        "theory:item_edit",
        "theory:item_publish",
        "theory:item_withdraw",
        "theory:item_delete",
        "theory:m_item_media",
        "theory:m_item_poster",
    ):
        item = ClassItem.objects.get(title=ITEM)
        if route_name.startswith("theory:m_"):
            return [{"pk": item.pk}]
        return [{"pk": item.pk}, {"pk": item.pk, "_method": "post"}]
    if route_name == "api:theory_item_detail":
        return [{"item_id": ClassItem.objects.get(title=ITEM).pk}]
    return None
