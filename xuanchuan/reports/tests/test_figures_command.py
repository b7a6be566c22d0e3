"""``manage.py figures``: the figure catalogue as a table or as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xuanchuan.reports.registry import Choice, Measure, Parameter, all_figures, figure, scratch


def run(*args: str) -> str:
    out = StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_json_lists_every_registered_figure_with_its_words_and_app() -> None:
    payload = json.loads(run("--json"))
    every = all_figures(with_parameters=True)
    assert [item["key"] for item in payload] == [item.key + ("(…)" if item.parameter else "") for item in every]
    assert all(list(item)[:5] == ["key", "label", "synonyms", "unit", "app"] for item in payload)
    by_key = {item["key"]: item for item in payload}
    assert by_key["outbreak.reporting_rate"] == {
        "key": "outbreak.reporting_rate",
        "label": "疫情日报上报率",
        "synonyms": ["上报率", "报送率"],
        "unit": "%",
        "app": "outbreak",
    }
    assert {"org", "arrivals", "passes", "outbreak"} <= {item["app"] for item in payload}


def test_one_apps_figures_only() -> None:
    payload = json.loads(run("--json", "--app", "outbreak"))
    assert payload and {item["app"] for item in payload} == {"outbreak"}
    with pytest.raises(CommandError, match="没有模块"):
        run("--app", "nothing")


def test_the_table_is_in_chinese_and_counts_the_figures() -> None:
    text = run()
    lines = text.splitlines()
    assert lines[0].split()[:5] == ["指标代码", "名称", "单位", "模块", "同义词"]
    row = next(line for line in lines if line.startswith("outbreak.reporting_rate "))
    assert "疫情日报上报率" in row and "疫情上报管理（outbreak）" in row and "上报率、报送率" in row
    assert f"共 {len(all_figures(with_parameters=True))} 个指标" in text


def test_a_figure_with_a_parameter_is_listed_with_what_it_chooses() -> None:
    with scratch():
        holidays = Parameter("假日", lambda unit: [Choice("劳动节"), Choice("国庆节")], closed=True)

        @figure("tests.by_holiday", label="假日人数", unit="人次", parameter=holidays)
        def by_holiday(period, unit, holiday):
            return Measure(1)

        payload = {item["key"]: item for item in json.loads(run("--json", "--app", "tests"))}
        text = run("--app", "tests")
    assert payload["tests.by_holiday(…)"]["parameter"] == "假日"
    assert payload["tests.by_holiday(…)"]["choices"] == ["劳动节", "国庆节"]
    assert "tests.by_holiday(…)" in text and "假日人数（参数：假日）" in text
