"""The bridge between the proofreading engine and the platform: the checker built from the shipped
defaults and the lexicons staff keep, rebuilt in every process after a change; the allow-list per
site and per publication; the highlighted text."""

from __future__ import annotations

import pytest

from xuanchuan.core.memo import VersionedMemo
from xuanchuan.org.models import RoleCode
from xuanchuan.proofing import Finding, default_terms
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.models import AllowedFinding, EntrySource, LexiconEntry, NameTitle, Publication
from xuanchuan.publishing.services import lexicons

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(district):
    from xuanchuan.conftest import make_person

    return make_person("kate", district.publicity, RoleCode.REVIEWER_FIRST, full_name="柯特")


@pytest.fixture(autouse=True)
def _fresh_checker():
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()
    yield
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()


def kinds_and_texts(findings):
    return {(finding.kind, finding.text) for finding in findings}


def shipped():
    term = default_terms()[0]
    return term


def test_a_staff_term_is_flagged_and_disabling_it_silences_it(keeper) -> None:
    text = "会上提到了测试禁词甲。"
    assert ("sensitive", "测试禁词甲") not in kinds_and_texts(proofreading.check_text(text))
    entry = lexicons.add_entry(kind="sensitive", term="测试禁词甲", severity="high", reason="测试", by=keeper)
    findings = proofreading.check_text(text)
    assert ("sensitive", "测试禁词甲") in kinds_and_texts(findings)
    assert [f.text for f in proofreading.blocking(findings)] == ["测试禁词甲"]
    lexicons.set_entry_active(entry, False, by=keeper)
    assert ("sensitive", "测试禁词甲") not in kinds_and_texts(proofreading.check_text(text))


def test_a_default_term_is_silenced_and_its_severity_changed_by_its_default_row(keeper) -> None:
    term = shipped()
    text = f"文中有{term.term}一词。"
    before = [f for f in proofreading.check_text(text) if f.kind == term.kind and f.text == term.term]
    assert before and before[0].severity == term.severity
    other = "low" if term.severity != "low" else "high"
    row = lexicons.set_default_term(term.kind, term.term, active=True, severity=other, by=keeper)
    assert row.source == EntrySource.DEFAULT
    changed = [f for f in proofreading.check_text(text) if f.kind == term.kind and f.text == term.term]
    assert changed and changed[0].severity == other
    lexicons.set_default_term(term.kind, term.term, active=False, by=keeper)
    assert (term.kind, term.term) not in kinds_and_texts(proofreading.check_text(text))
    assert LexiconEntry.objects.filter(kind=term.kind, term=term.term).count() == 1
    lexicons.set_default_term(term.kind, term.term, active=True, by=keeper)
    assert (term.kind, term.term) in kinds_and_texts(proofreading.check_text(text))


def test_names_and_titles_come_from_the_active_rows(keeper) -> None:
    text = "张三副区长出席会议。"
    assert not [f for f in proofreading.check_text(text) if f.kind == "name_title"]
    row = lexicons.add_name(name="张三", titles="区委副书记、区长", by=keeper)
    assert NameTitle.objects.get().titles == "区委副书记、区长"
    found = [f for f in proofreading.check_text(text) if f.kind == "name_title"]
    assert found and found[0].text.startswith("张三")
    assert not [f for f in proofreading.check_text("张三区长出席会议。") if f.kind == "name_title"]
    lexicons.set_name_active(row, False, by=keeper)
    assert not [f for f in proofreading.check_text(text) if f.kind == "name_title"]


def test_split_titles() -> None:
    assert proofreading.split_titles("区委副书记、区长 区政府党组书记,主任") == [
        "区委副书记",
        "区长",
        "区政府党组书记",
        "主任",
    ]
    assert proofreading.split_titles("") == []


@pytest.mark.django_db(transaction=True)
def test_another_process_rebuilds_after_a_change(district) -> None:
    """Two memos on the same key stand for two processes: a write in one bumps the version the
    other checks, so the other rebuilds on its next read (and not before)."""
    from xuanchuan.conftest import make_person

    keeper = make_person("kate", district.publicity, RoleCode.DEPARTMENT_ADMIN)
    builds = []

    def loader():
        builds.append(1)
        return proofreading.build_checker()

    other = VersionedMemo("publishing.proofreading.checker", loader)
    text = "这里有测试禁词乙。"
    assert ("sensitive", "测试禁词乙") not in kinds_and_texts(other.get().check(text))
    other.get()
    assert len(builds) == 1  # kept: no rebuild without a change
    lexicons.add_entry(kind="sensitive", term="测试禁词乙", by=keeper)
    assert ("sensitive", "测试禁词乙") in kinds_and_texts(other.get().check(text))
    assert len(builds) == 2
    other.get()
    assert len(builds) == 2


@pytest.mark.django_db(transaction=True)
def test_the_site_allow_list_is_seen_by_another_process(district) -> None:
    from xuanchuan.conftest import make_person

    keeper = make_person("kate", district.publicity, RoleCode.DEPARTMENT_ADMIN)
    other = VersionedMemo("publishing.proofreading.site_allow", proofreading.load_site_allow)
    assert other.get() == frozenset()
    lexicons.allow_finding(kind="placeholder", text="XX", by=keeper)
    assert other.get() == frozenset({("placeholder", "XX")})


def test_site_allow_list_quiets_a_finding_everywhere(keeper) -> None:
    text = "全区共有XX个单位参加。"
    assert ("placeholder", "XX") in kinds_and_texts(proofreading.check_text(text))
    lexicons.allow_finding(kind="placeholder", text="XX", by=keeper)
    assert ("placeholder", "XX") not in kinds_and_texts(proofreading.check_text(text))
    assert ("placeholder", "XX") not in kinds_and_texts(proofreading.check_text("另一篇：XX人。"))
    lexicons.remove_allowed(AllowedFinding.objects.get(), by=keeper)
    assert ("placeholder", "XX") in kinds_and_texts(proofreading.check_text(text))


def test_a_publication_allow_list_quiets_only_that_publication(district, bob, keeper) -> None:
    mine = Publication.objects.create(unit=district.east, title="甲", created_by=bob)
    other = Publication.objects.create(unit=district.east, title="乙", created_by=bob)
    text = "共有XX人。"
    lexicons.allow_finding(kind="placeholder", text="XX", publication=mine, by=bob)
    assert ("placeholder", "XX") not in kinds_and_texts(proofreading.check_text(text, publication=mine))
    assert ("placeholder", "XX") in kinds_and_texts(proofreading.check_text(text, publication=other))
    assert ("placeholder", "XX") in kinds_and_texts(proofreading.check_text(text))


def test_highlight_escapes_and_marks_every_finding() -> None:
    text = "<b>扫H除E</b>,好"
    findings = [
        Finding(3, 7, "formulation", "high", "扫H除E", "扫黑除恶", "变体"),
        Finding(11, 12, "punctuation", "low", ",", "，", "半角"),
    ]
    html = str(proofreading.highlight(text, findings))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert '<mark class="pf pf-high" data-i="0" data-all="0"' in html and ">扫H除E</mark>" in html
    assert '<mark class="pf pf-low" data-i="1" data-all="1"' in html
    assert html.endswith("好")


def test_highlight_handles_overlapping_findings() -> None:
    text = "甲乙丙丁"
    findings = [
        Finding(0, 3, "misused", "low", "甲乙丙", "", ""),
        Finding(1, 4, "sensitive", "high", "乙丙丁", "", ""),
    ]
    html = str(proofreading.highlight(text, findings))
    # Every character once, marks never nested; the overlap shows the more severe finding.
    assert html.count("<mark") == 3 and "<mark" not in html.split("</mark>")[0][6:]
    assert '<mark class="pf pf-low" data-i="0" data-all="0"' in html
    assert '<mark class="pf pf-high" data-i="1" data-all="0 1"' in html
    assert "".join(part.split(">")[-1] for part in html.split("</mark>")) == text


def test_apply_suggestion_and_find_again() -> None:
    text = "坚持扫H除E。"
    finding = Finding(2, 6, "formulation", "high", "扫H除E", "扫黑除恶", "")
    assert proofreading.apply_suggestion(text, finding) == "坚持扫黑除恶。"
    assert proofreading.apply_suggestion("坚持别的文字。", finding) == "坚持别的文字。"
    assert proofreading.find_again(text, "2:6:formulation", [finding]) is finding
    assert proofreading.find_again(text, "2:5:formulation", [finding]) is None


def test_findings_context_gives_lines_and_columns() -> None:
    text = "第一行\n第二XX行"
    findings = proofreading.check_text(text)
    context = proofreading.findings_context(text, findings)
    row = next(row for row in context["finding_rows"] if row.finding.kind == "placeholder")
    assert (row.line, row.column) == (2, 3)
    assert 'class="pf pf-' in str(context["highlighted"])


def test_register_audit_logs_who_changed_what(keeper) -> None:
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    proofreading.register_audit()
    with set_actor(keeper):
        entry = lexicons.add_entry(kind="misused", term="测试错词", suggestion="测试正词", by=keeper)
        lexicons.update_entry(entry, kind="misused", term="测试错词", suggestion="另一正词", by=keeper)
    logs = LogEntry.objects.get_for_object(entry)
    assert logs.count() == 2
    assert all(log.actor == keeper for log in logs)
    entry.refresh_from_db()
    assert entry.created_by == keeper and entry.updated_by == keeper


def test_a_row_the_services_would_refuse_does_not_break_the_checker() -> None:
    LexiconEntry.objects.create(kind="nonsense", term="坏词条", severity="high")
    LexiconEntry.objects.create(kind="misused", term="好词条", severity="extreme")
    LexiconEntry.objects.create(kind="misused", term="再接再励", suggestion="再接再厉")
    assert [f.text for f in proofreading.check_text("再接再励，坏词条，好词条。") if f.kind == "misused"] == [
        "再接再励"
    ]
