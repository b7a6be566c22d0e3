"""The public API other parts code against, and the shipped lexicon files."""

import dataclasses

import pytest

from xuanchuan.proofing import KINDS, SEVERITIES, Checker, Finding, Term, check, default_terms
from xuanchuan.proofing.lexicon import DATA, parse_tsv


def test_kinds_and_severities():
    assert set(KINDS) == {
        "sensitive",
        "formulation",
        "misused",
        "placeholder",
        "brackets",
        "punctuation",
        "consistency",
        "name_title",
    }
    assert SEVERITIES == ("high", "medium", "low")


def test_finding_as_dict_and_frozen():
    finding = Finding(1, 3, "misused", "medium", "帐号", "账号", "错别字")
    assert finding.as_dict() == {
        "start": 1,
        "end": 3,
        "kind": "misused",
        "severity": "medium",
        "text": "帐号",
        "suggestion": "账号",
        "reason": "错别字",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 2


def test_term_defaults_and_validation():
    term = Term("帐号", "misused")
    assert (term.suggestion, term.category, term.severity, term.reason) == ("", "", "medium", "")
    with pytest.raises(ValueError):
        Term("帐号", "placeholder")
    with pytest.raises(ValueError):
        Term("帐号", "misused", severity="urgent")
    with pytest.raises(ValueError):
        Term("  ", "misused")


def test_check_returns_findings_sorted_with_offsets_into_the_text():
    text = "截止目前，我们要再接再励，202×年打黑除恶。"
    findings = check(text)
    assert findings == sorted(findings, key=lambda f: (f.start, f.end, f.kind))
    assert {f.kind for f in findings} >= {"misused", "placeholder", "formulation"}
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.kind in KINDS and f.severity in SEVERITIES


def test_clean_text_has_no_findings():
    assert check("今年以来，区委宣传部坚持以习近平新时代中国特色社会主义思想为指导，扎实推进扫黑除恶专项斗争。") == []
    assert check("") == []


def test_custom_checker_uses_only_its_terms():
    checker = Checker([Term("测试词", "sensitive", category="测试", severity="high")])
    (finding,) = [f for f in checker.check("这是一个测试词。") if f.kind == "sensitive"]
    assert (finding.text, finding.severity) == ("测试词", "high")
    assert [f for f in checker.check("再接再励") if f.kind == "misused"] == []


def test_allow_silences_exactly_that_kind_and_text():
    text = "要再接再励，亲自部署。"
    assert {(f.kind, f.text) for f in check(text)} >= {("misused", "再接再励"), ("sensitive", "亲自")}
    checker = Checker(default_terms())
    quiet = checker.check(text, allow=[("sensitive", "亲自")])
    assert ("sensitive", "亲自") not in {(f.kind, f.text) for f in quiet}
    assert ("misused", "再接再励") in {(f.kind, f.text) for f in quiet}
    # the same text under another kind is not silenced
    assert ("misused", "再接再励") in {(f.kind, f.text) for f in checker.check(text, allow=[("sensitive", "再接再励")])}


def test_default_lexicon_files_are_well_formed():
    terms = default_terms()
    by_kind = {kind: [t for t in terms if t.kind == kind] for kind in ("sensitive", "formulation", "misused")}
    assert len(by_kind["sensitive"]) >= 40 and len(by_kind["formulation"]) >= 60 and len(by_kind["misused"]) >= 80
    for path in DATA.glob("*.tsv"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and not line.startswith("#"):
                assert len(line.split("\t")) == 5, (path.name, number, line)
    seen = set()
    for term in terms:
        assert (term.kind, term.term) not in seen, term
        seen.add((term.kind, term.term))
        assert term.reason or term.suggestion, term
    assert default_terms() is not default_terms()  # a fresh list each call: callers may filter it


def test_parse_tsv_names_the_bad_line():
    terms = parse_tsv(["# comment", "", "帐号\t账号\t错别字\tmedium\t"], "misused")
    assert terms == [Term("帐号", "misused", "账号", "错别字", "medium", "")]
    with pytest.raises(ValueError, match="第 2 行"):
        parse_tsv(["帐号\t账号", "帐户\t账户\t错别字\tsevere\t"], "misused", "x.tsv")


def test_building_a_few_thousand_terms_is_fast():
    import time

    terms = default_terms() + [Term(f"测试词条{i:04d}号", "sensitive") for i in range(3000)]
    started = time.perf_counter()
    checker = Checker(terms)
    assert time.perf_counter() - started < 5
    assert [f.text for f in checker.check("出现了测试词条0042号。") if f.kind == "sensitive"] == ["测试词条0042号"]


def test_apply_suggestions_gives_the_corrected_text():
    from xuanchuan.proofing import apply_suggestions

    text = "要再接再励，深入推进打黑除恶，202×年完成。"
    assert apply_suggestions(text, check(text)) == "要再接再厉，深入推进扫黑除恶，202×年完成。"
    assert apply_suggestions(text, []) == text
    one = [f for f in check(text) if f.kind == "misused"]
    assert apply_suggestions(text, one) == "要再接再厉，深入推进打黑除恶，202×年完成。"


def test_names_may_give_one_title_as_a_string():
    checker = Checker([], names={"张三": "区长"})
    assert [f.suggestion for f in checker.check("副区长张三") if f.kind == "name_title"] == ["区长张三"]


def test_one_checker_is_shared_by_threads():
    from concurrent.futures import ThreadPoolExecutor

    checker = Checker(default_terms(), names={"张三": ["区长"]})
    texts = [f"第{i}段：副区长张三说，要再接再励，扫H除E，202×年。“未闭合" * 20 for i in range(40)]
    expected = [checker.check(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(checker.check, texts)) == expected
