"""The rules of the outreach records' services: permission first, the acting user's scope, rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.media import services
from xuanchuan.media.models import Campaign, Episode, Level, Material, MaterialKind, PressArticle
from xuanchuan.media.tests.conftest import PNG

DAY = date(2024, 3, 11)


def article(title: str = "东城新时代文明实践见报", **changes) -> services.ArticleData:
    fields = {"outlet": "市日报", "level": Level.MUNICIPAL, "published_on": DAY, "url": "https://example.org/a"}
    return services.ArticleData(title=title, **{**fields, **changes})


def test_a_reporter_records_a_press_article_with_a_clipping(district, bob) -> None:
    clip = SimpleUploadedFile("剪报.png", PNG, "image/png")
    saved = services.save_article(article(url=""), unit=district.east, clipping=clip, by=bob)
    assert saved.unit == district.east and saved.created_by == bob
    assert saved.clipping and saved.clipping_name == "剪报.png"
    assert not saved.clipping.name.endswith("剪报.png")  # stored under a random name


def test_an_upload_is_stored_as_what_its_content_is_not_what_it_is_called(district, bob) -> None:
    clip = SimpleUploadedFile("page.html", PNG, "text/html")
    saved = services.save_article(article(), unit=district.east, clipping=clip, by=bob)
    assert saved.clipping.name.endswith(".png") and saved.clipping_name == "page.html"


def test_an_article_needs_a_link_or_a_clipping(district, bob) -> None:
    with pytest.raises(ServiceError, match="链接或上传剪报"):
        services.save_article(article(url=""), unit=district.east, by=bob)


def test_a_clipping_must_be_an_image_or_pdf_by_its_content(district, bob) -> None:
    fake = SimpleUploadedFile("clip.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(ServiceError, match="只能上传图片"):
        services.save_article(article(), unit=district.east, clipping=fake, by=bob)
    assert not PressArticle.objects.exists()


def test_article_rules(district, bob) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.save_article(article(published_on=tomorrow), unit=district.east, by=bob)
    with pytest.raises(ServiceError, match="请选择媒体级别"):
        services.save_article(article(level="galactic"), unit=district.east, by=bob)
    with pytest.raises(ServiceError, match="请填写标题"):
        services.save_article(article(title="  "), unit=district.east, by=bob)


def test_permission_comes_first_then_scope(district, bob, charlie) -> None:
    # charlie may enter, but not for 东城街道.
    with pytest.raises(PermissionDenied):
        services.save_article(article(), unit=district.east, by=charlie)
    saved = services.save_article(article(), unit=district.east, by=bob)
    with pytest.raises(PermissionDenied):
        services.save_article(article("改掉"), unit=district.west, article=saved, by=charlie)
    with pytest.raises(PermissionDenied):
        services.delete_article(saved, by=charlie)
    assert PressArticle.objects.get().title == "东城新时代文明实践见报"


def test_someone_without_an_entry_role_may_not_enter(district, bob) -> None:
    from xuanchuan.conftest import make_person

    guard = make_person("guard", district.east, "checkpoint_guard")
    with pytest.raises(PermissionDenied):
        services.save_article(article(), unit=district.east, by=guard)


def test_a_reporter_enters_for_the_community_below(district, bob) -> None:
    saved = services.save_article(article(), unit=district.east_community, by=bob)
    assert saved.unit == district.east_community


def test_programme_and_episodes(district, bob, charlie) -> None:
    programme = services.create_programme(
        unit=district.east, name="《纵横东城》", station="区广播电视台", channel="综合频道", by=bob
    )
    assert programme.name == "纵横东城"
    with pytest.raises(ServiceError, match="已登记该栏目"):
        services.create_programme(unit=district.east, name="纵横东城", station="区广播电视台", by=bob)
    episode = services.add_episode(programme, aired_on=DAY, title="乡村振兴走基层", duration_minutes=15, by=bob)
    assert episode.unit == district.east
    with pytest.raises(ServiceError, match="已登记"):
        services.add_episode(programme, aired_on=DAY, title="乡村振兴走基层", by=bob)
    with pytest.raises(ServiceError, match="1 到 1440"):
        services.add_episode(programme, aired_on=DAY, title="太长", duration_minutes=5000, by=bob)
    with pytest.raises(PermissionDenied):
        services.add_episode(programme, aired_on=DAY, title="越权", by=charlie)
    with pytest.raises(PermissionDenied):
        services.delete_episode(episode, by=charlie)
    services.delete_episode(episode, by=bob)
    assert not Episode.objects.exists()


def test_account_names_are_unique_per_unit_and_platform(district, bob) -> None:
    services.create_account(unit=district.east, name="东城发布", platform="wechat", by=bob)
    with pytest.raises(ServiceError, match="同名账号"):
        services.create_account(unit=district.east, name="东城发布", platform="wechat", by=bob)
    services.create_account(unit=district.east, name="东城发布", platform="douyin", by=bob)
    with pytest.raises(ServiceError, match="请选择平台"):
        services.create_account(unit=district.east, name="x", platform="myspace", by=bob)


def test_only_the_department_sets_up_campaigns(district, alice, bob) -> None:
    with pytest.raises(PermissionDenied):
        services.create_campaign(name="疫情防控宣传", starts_on=DAY, by=bob)
    with pytest.raises(ServiceError, match="结束日期不能早于"):
        services.create_campaign(name="疫情防控宣传", starts_on=DAY, ends_on=DAY - timedelta(days=1), by=alice)
    campaign = services.create_campaign(name="疫情防控宣传", starts_on=DAY, by=alice)
    assert campaign.unit == district.root
    with pytest.raises(ServiceError, match="同名"):
        services.create_campaign(name="疫情防控宣传", starts_on=DAY, by=alice)


def test_every_unit_sees_the_departments_campaign_but_only_its_own_material(
    district, campaign, bob, charlie, dora
) -> None:
    for person in (bob, charlie, dora):
        assert Campaign.objects.visible_to(person).filter(pk=campaign.pk).exists()
    own = Campaign.objects.create(unit=district.east, name="东城自办活动", starts_on=DAY)
    assert not Campaign.objects.visible_to(charlie).filter(pk=own.pk).exists()
    assert Campaign.objects.visible_to(dora).filter(pk=own.pk).exists()  # below 东城街道
    east = services.add_material(
        campaign, unit=district.east, kind=MaterialKind.BANNER, quantity=12, placed_on=DAY, by=bob
    )
    west = services.add_material(
        campaign, unit=district.west, kind=MaterialKind.BANNER, quantity=5, placed_on=DAY, by=charlie
    )
    assert list(Material.objects.visible_to(charlie)) == [west]
    assert list(Material.objects.visible_to(bob)) == [east]


def test_material_rules(district, campaign, bob, charlie) -> None:
    def add(**changes):
        fields = {"unit": district.east, "kind": MaterialKind.LED, "quantity": 3, "placed_on": DAY, "by": bob}
        return services.add_material(campaign, **{**fields, **changes})

    with pytest.raises(PermissionDenied):
        add(by=charlie)  # charlie's own campaign access, but 东城街道 is not his unit
    with pytest.raises(ServiceError, match="数量"):
        add(quantity=0)
    with pytest.raises(ServiceError, match="请选择宣传品类别"):
        add(kind="balloon")
    with pytest.raises(ServiceError, match="不在宣传活动期间"):
        add(placed_on=date(2023, 12, 31))
    with pytest.raises(ServiceError, match="不能晚于今天"):
        add(placed_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ServiceError, match="只能上传图片"):
        add(photo=SimpleUploadedFile("a.jpg", b"GIF-not", "image/jpeg"))
    material = add(photo=SimpleUploadedFile("a.png", PNG, "image/png"))
    assert material.photo and material.measure_unit == "块"
    with pytest.raises(PermissionDenied):
        services.delete_material(material, by=charlie)
    services.delete_material(material, by=bob)
    assert not Material.objects.exists()


def test_material_for_a_campaign_the_unit_cannot_see_is_refused(district, bob, charlie) -> None:
    own = Campaign.objects.create(unit=district.east, name="东城自办活动", starts_on=DAY)
    with pytest.raises(PermissionDenied):
        services.add_material(own, unit=district.west, kind="led", quantity=1, placed_on=DAY, by=charlie)
