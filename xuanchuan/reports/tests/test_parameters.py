"""Figures with a parameter: declared once, bound to an argument in a template (``key(argument)``),
proposed with the argument their paragraph names when a document is imported, validated when a
blank is bound, computed, linked and served like any other figure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import Unit
from xuanchuan.reports import services, templating
from xuanchuan.reports.generation import render
from xuanchuan.reports.placeholders import find_placeholders
from xuanchuan.reports.registry import (
    ArgumentError,
    Choice,
    Measure,
    Parameter,
    Period,
    UnknownFigure,
    _registry,
    all_figures,
    catalogue,
    clean_argument,
    figure,
    get_figure,
    scratch,
    split_key,
)

SERIES = ["激昂新示范·欢乐中国年", "活力示范·百姓文化大舞台"]
HOLIDAYS = [
    Choice("劳动节", "劳动节", ("五一", "五一小长假")),
    Choice("国庆节", "国庆节", ("国庆", "十一")),
]
VALUES = {("激昂新示范·欢乐中国年", 2025): 12, ("激昂新示范·欢乐中国年", 2024): 10, ("劳动节", 2025): 80000}


@pytest.fixture
def parameterised() -> Iterator[dict[str, Any]]:
    """Two figures with a parameter (series: open, holidays: closed) and a plain one, for this test only."""
    asked: dict[str, Any] = {"units": []}

    def series_choices(unit: Any) -> list[Choice]:
        asked["units"].append(unit)
        return [Choice(name, name) for name in SERIES]

    with scratch():
        _registry.clear()  # only this test's figures: the apps' own (culture's holidays) would compete

        @figure(
            "tests.series_events",
            label="系列活动场次",
            unit="场次",
            synonyms=("系列活动",),
            parameter=Parameter("系列活动", series_choices),
        )
        def series_events(period: Period, unit: Any, name: str) -> Measure:
            return Measure(VALUES.get((name, period.start.year), 0))

        @figure(
            "tests.holiday_visitors",
            label="假日旅游人数",
            unit="人次",
            synonyms=("旅游人数",),
            parameter=Parameter("假日", lambda unit: HOLIDAYS, closed=True),
        )
        def holiday_visitors(period: Period, unit: Any, holiday: str) -> Measure:
            return Measure(VALUES.get((holiday, period.start.year)))

        @figure(
            "tests.holiday_revenue",
            label="旅游综合收入",
            unit="元",
            parameter=Parameter("假日", lambda unit: HOLIDAYS, closed=True),
        )
        def holiday_revenue(period: Period, unit: Any, holiday: str) -> Measure:
            return Measure(123400000 if holiday == "劳动节" else None)

        @figure("tests.units_named", label="名称含参数的单位", unit="个", parameter=Parameter("名称", lambda unit: []))
        def units_named(period: Period, unit: Any, text: str):
            return Unit.objects.filter(name__contains=text)

        @figure("tests.plain", label="普通指标", unit="个")
        def plain(period: Period, unit: Any) -> Measure:
            return Measure(3)

        yield asked


# --- the registry ---------------------------------------------------------------------------------------------


def test_a_bound_figure_has_its_own_key_label_and_value(parameterised) -> None:
    item = get_figure("tests.series_events(激昂新示范·欢乐中国年)")
    assert item.key == "tests.series_events(激昂新示范·欢乐中国年)" and item.base_key == "tests.series_events"
    assert item.label == "系列活动场次（激昂新示范·欢乐中国年）" and item.argument == "激昂新示范·欢乐中国年"
    assert item.compute(Period.year(2025)).value == 12 and item.compute(Period.year(2024)).value == 10
    assert get_figure("tests.series_events( 别的系列 )").compute(Period.year(2025)).value == 0  # open: any name
    assert split_key(item.key) == ("tests.series_events", "激昂新示范·欢乐中国年")
    assert split_key("tests.plain") == ("tests.plain", None)


def test_an_unbound_figure_cannot_be_computed_and_a_plain_one_takes_no_argument(parameterised) -> None:
    unbound = get_figure("tests.series_events")
    assert unbound.needs_argument
    with pytest.raises(ArgumentError, match="须选择系列活动"):
        unbound.compute(Period.year(2025))
    with pytest.raises(ArgumentError, match="不带参数"):
        get_figure("tests.plain(甲)")
    with pytest.raises(ArgumentError, match="不带参数"):
        get_figure("tests.series_events(甲)").bind("乙")
    with pytest.raises(UnknownFigure):
        get_figure("tests.nothing(甲)")


def test_a_closed_parameter_takes_only_its_choices(parameterised) -> None:
    assert get_figure("tests.holiday_visitors(劳动节)").compute(Period.year(2025)).value == 80000
    assert get_figure("tests.holiday_visitors(国庆节)").compute(Period.year(2025)).value is None
    with pytest.raises(ArgumentError, match="劳动节、国庆节"):
        get_figure("tests.holiday_visitors(元旦)")


@pytest.mark.parametrize("argument", ["", "  ", "甲(乙", "甲)乙", "a/b", "a|b", "{x}", "a\\b", "甲\n乙", "长" * 101])
def test_an_argument_is_a_plain_name(argument: str) -> None:
    with pytest.raises(ArgumentError):
        clean_argument(argument)


def test_lists_hold_plain_figures_unless_asked_and_the_catalogue_binds_each_choice(parameterised) -> None:
    plain = {item.key for item in all_figures()}
    assert "tests.plain" in plain and "tests.series_events" not in plain
    assert "tests.series_events" in {item.key for item in all_figures(with_parameters=True)}
    marker = "某单位"
    keys = {item.key for item in catalogue(marker)}
    assert {f"tests.series_events({name})" for name in SERIES} <= keys
    assert {"tests.holiday_visitors(劳动节)", "tests.holiday_visitors(国庆节)", "tests.plain"} <= keys
    assert "tests.series_events" not in keys
    assert parameterised["units"] == [marker]  # the choices are those of the report's unit


def test_declaring_a_parameter_with_parts_is_refused() -> None:
    with scratch(), pytest.raises(ValueError, match="parameter"):
        figure("tests.bad", label="x", unit="个", parts=("a.b",), combine=lambda a: a,
               parameter=Parameter("x", lambda unit: []))  # fmt: skip


# --- templates and the engine ------------------------------------------------------------------------------------


def test_a_template_names_the_argument_in_parentheses(parameterised) -> None:
    known = services.known_figures()
    assert "tests.series_events()" in known and "tests.plain" in known
    reference = templating.parse_reference(" tests.series_events( 欢乐 中国年 ) change digits=2", known)
    assert (reference.kind, reference.source, reference.options, reference.digits) == (
        "figure",
        "tests.series_events(欢乐 中国年)",
        frozenset({"change"}),
        2,
    )
    errors = {
        "tests.series_events": "须在括号里写明参数",
        "tests.plain(甲)": "不带参数",
        "tests.nothing(甲)": "没有这个指标",
        "tests.series_events()": "括号里须写明参数",
        "tests.series_events(a/b)": "含有",
    }
    for inner, message in errors.items():
        parsed = templating.parse_reference(f" {inner} ", known)
        assert parsed.kind == "error" and message in parsed.error, inner
    named = "tests.series_events(激昂新示范·欢乐中国年)"
    body = f"开展{{{{ {named} }}}}场次，{{{{ {named} change }}}}。"
    assert templating.figure_keys(body) == ["tests.series_events(激昂新示范·欢乐中国年)"]
    assert templating.problems(body, known) == []


def test_a_bound_figure_renders_with_its_change_and_a_bad_choice_is_flagged(parameterised) -> None:
    named = "tests.series_events(激昂新示范·欢乐中国年)"
    report = render(
        f"开展{{{{ {named} }}}}场次，{{{{ {named} change }}}}；"
        "五一游客{{ tests.holiday_visitors(劳动节) wan }}万人次，{{ tests.holiday_visitors(劳动节) change }}；"
        "元旦{{ tests.holiday_visitors(元旦) }}人次。",
        Period.year(2025),
    )
    assert report.text == (
        "开展12场次，增长20.0%；五一游客8万人次，【上年无数据，无法计算同比】；"
        "元旦【指标“假日旅游人数”的假日只能是：劳动节、国庆节】人次。"
    )
    assert report.figures["tests.series_events(激昂新示范·欢乐中国年)"].label == "系列活动场次（激昂新示范·欢乐中国年）"
    assert [flag["message"][:10] for flag in report.flags] == ["“假日旅游人数（劳动", "指标“假日旅游人数”"]


# --- the importer ------------------------------------------------------------------------------------------------


def _figures() -> list[Any]:
    return [item for item in all_figures(with_parameters=True) if item.key.startswith("tests.")]


def test_the_importer_binds_the_argument_its_paragraph_names(parameterised) -> None:
    text = (
        "组织开展了“激昂新×·欢乐中国年”迎新春等系列活动×场次，“活力×·百姓文化大舞台”系列活动×场次。\n"
        "五一期间组织开展了系列活动。据统计，五一小长假，全区旅游人数近×万人（次），同比增长×%；旅游综合收入达到×万元。\n"
        "全年开展系列活动×场次。"
    )
    numbers = [item for item in find_placeholders(text, _figures()) if item.cls == "number"]
    assert [item.figure for item in numbers] == [
        "tests.series_events(激昂新示范·欢乐中国年)",  # the blanked name still names the series
        "tests.series_events(活力示范·百姓文化大舞台)",  # the nearer of two named series
        "tests.holiday_visitors(劳动节)",  # 五一 is the word reports use for 劳动节
        None,  # 同比增长×%: the import binds it to the number before it (below)
        "tests.holiday_revenue(劳动节)",  # named two clauses earlier in its paragraph
        "tests.series_events",  # no series named in its paragraph: staff choose
    ]


@pytest.mark.django_db
def test_binding_a_blank_checks_the_argument(parameterised, district, bob) -> None:
    text = "五一小长假，全区旅游人数近×万人（次），同比增长×%。全年开展系列活动×场次。开展活动×场次。"
    upload = SimpleUploadedFile("x.txt", text.encode("utf-8"), content_type="text/plain")
    record = services.start_import(upload, by=bob, unit=district.east)
    proposed = [(item["binding"], item["style"]) for item in record.placeholders]
    assert proposed[0] == ("tests.holiday_visitors(劳动节)", ["wan", "about"])
    assert proposed[1] == ("tests.holiday_visitors(劳动节)", ["growth"])  # 同比增长×%: the change of the number before
    assert proposed[2] == ("", [])  # an unbound proposal is left for staff to choose its argument
    with pytest.raises(ServiceError) as refused:
        services.save_bindings(
            record,
            {0: ("tests.holiday_visitors(元旦)", ()), 2: ("tests.series_events", ()), 3: ("tests.plain change", ())},
            by=bob,
        )
    messages = " ".join(map(str, refused.value.messages))
    assert "第 1 处" in messages and "劳动节、国庆节" in messages
    assert "第 3 处" in messages and "须在括号里写明参数" in messages
    assert "第 4 处" in messages
    saved = services.save_bindings(
        record,
        {
            0: ("tests.holiday_visitors( 劳动节 )", ("wan",)),
            1: ("tests.holiday_visitors(劳动节)", ("growth",)),
            2: ("tests.series_events(新的系列)", ()),
            3: ("tests.plain", ()),
        },
        by=bob,
    )
    assert [(item["binding"], item["style"]) for item in saved.placeholders] == [
        ("tests.holiday_visitors(劳动节)", ["wan"]),
        ("tests.holiday_visitors(劳动节)", ["growth"]),
        ("tests.series_events(新的系列)", []),  # a series recorded later counts once it is
        ("tests.plain", []),
    ]
    body = services.template_body_from_import(saved)
    assert "{{ tests.holiday_visitors(劳动节) wan }}" in body and "{{ tests.series_events(新的系列) }}" in body


@pytest.mark.django_db
def test_the_review_page_offers_each_choice(parameterised, verified_client, district, bob) -> None:
    upload = SimpleUploadedFile("x.txt", "全年开展系列活动×场次。".encode(), content_type="text/plain")
    record = services.start_import(upload, by=bob, unit=district.east)
    page = verified_client(bob).get(f"/reports/imports/{record.pk}/").content.decode()
    for name in SERIES:
        assert f'value="tests.series_events({name})"' in page
        assert f"系列活动场次（{name}）" in page


# --- drill-down and API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_records_and_the_api_of_a_bound_figure(parameterised, verified_client, alice, district) -> None:
    client = verified_client(alice)
    page = client.get("/reports/figures/tests.units_named(东城)/", {"period": "2025"})
    assert page.status_code == 200 and district.east.name in page.content.decode()
    assert client.get("/reports/figures/tests.units_named/").status_code == 404
    assert client.get("/reports/figures/tests.holiday_visitors(元旦)/").status_code == 404
    answer = client.get("/api/figures/tests.series_events(激昂新示范·欢乐中国年)", {"period": "2025"})
    assert answer.status_code == 200 and answer.json()["value"] == 12
    assert answer.json()["label"] == "系列活动场次（激昂新示范·欢乐中国年）"
    assert client.get("/api/figures/tests.series_events", {"period": "2025"}).status_code == 422
    assert client.get("/api/figures/tests.holiday_visitors(元旦)", {"period": "2025"}).status_code == 422
    assert client.get("/api/figures/tests.nothing(甲)").status_code == 404
