"""The figures of section 二: what each counts, the default template's paragraphs, the demo."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xuanchuan.media import services
from xuanchuan.media.models import Level, MaterialKind
from xuanchuan.media.tests.conftest import DOUYIN_HEADER, DOUYIN_ROWS, WECHAT_HEADER, WECHAT_ROWS, csv_bytes
from xuanchuan.reports.defaults import default_body
from xuanchuan.reports.registry import Period, all_figures, compute

DAY = date(2024, 3, 11)
YEAR = Period.year(2024)


def test_press_articles_count_central_provincial_and_municipal_only(district, bob) -> None:
    for level in (Level.CENTRAL, Level.PROVINCIAL, Level.MUNICIPAL, Level.DISTRICT):
        data = services.ArticleData(f"稿件{level}", "某媒体", level, DAY, url="https://example.org/")
        services.save_article(data, unit=district.east, by=bob)
    assert compute("media.press_articles", YEAR).value == 3
    assert compute("media.press_articles", YEAR, district.west).value == 0
    assert compute("media.press_articles", Period.year(2025)).value == 0


def test_tv_episodes(district, bob) -> None:
    programme = services.create_programme(unit=district.east, name="纵横东城", station="区广播电视台", by=bob)
    for day in (DAY, date(2024, 3, 18)):
        services.add_episode(programme, aired_on=day, title=f"第{day.day}期", by=bob)
    assert compute("media.tv_episodes", YEAR).value == 2


def test_posts_and_reads_per_platform(district, bob, wechat, douyin) -> None:
    services.import_export(wechat, csv_bytes(WECHAT_HEADER, WECHAT_ROWS), file_name="w.csv", by=bob)
    services.import_export(douyin, csv_bytes(DOUYIN_HEADER, DOUYIN_ROWS), file_name="d.csv", by=bob)
    assert compute("media.wechat_posts", YEAR).value == 3
    assert compute("media.wechat_reads", YEAR).value == 1530 + 610 + 2877
    assert compute("media.douyin_videos", YEAR).value == 3
    assert compute("media.douyin_plays", YEAR).value == 5230 + 12040 + 860
    march = Period.days(date(2024, 3, 1), date(2024, 3, 31))
    assert compute("media.wechat_posts", march).value == 2


def test_material_figures_sum_quantities(district, bob, dora, campaign) -> None:
    services.add_material(
        campaign, unit=district.east, kind=MaterialKind.CAR_STICKER, quantity=8000, placed_on=DAY, by=bob
    )
    services.add_material(
        campaign, unit=district.east_community, kind=MaterialKind.CAR_STICKER, quantity=4000, placed_on=DAY, by=dora
    )
    services.add_material(campaign, unit=district.east, kind=MaterialKind.SMS, quantity=30000, placed_on=DAY, by=bob)
    assert compute("media.car_stickers", YEAR).value == 12000
    assert compute("media.car_stickers", YEAR, district.east_community).value == 4000
    assert compute("media.sms", YEAR).value == 30000
    assert compute("media.banners", YEAR).value == 0


def test_every_media_figure_is_in_the_default_template_with_label_unit_and_synonyms() -> None:
    body = default_body()
    keys = [item for item in all_figures() if item.key.startswith("media.")]
    assert len(keys) == 13
    for item in keys:
        assert f"{{{{ {item.key}" in body, item.key
        assert item.label and item.unit and item.synonyms
    assert "点击量达{{ media.wechat_reads wan }}万人次" in body
    assert "宣传车贴{{ media.car_stickers wan }}万条" in body


def test_the_demo_gives_every_media_figure_data_in_each_year(db) -> None:
    import importlib
    import io

    from django.apps import apps as django_apps
    from django.core.management import call_command

    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())
    this_year = timezone.localdate().year
    empty = [
        f"{item.key} {year}"
        for item in all_figures()
        if item.key.startswith("media.")
        for year in (this_year - 2, this_year - 1, this_year)
        if not item.compute(Period.year(year)).value
    ]
    assert not empty
