"""``Checker``: the lexicon automata (built once) and the rules; ``check()`` with the default lexicons."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from . import pinyin, rules
from .findings import SEVERITIES, Finding, Term
from .lexicon import default_terms
from .text import Normalised, is_cjk, normalise

_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_ALNUM = re.compile(r"[a-z0-9]")
_LETTERS_RE = re.compile(r"[a-z]+")
MIN_DISGUISED = 3  # only terms of at least this many characters are looked for in disguise (letters)
MIN_HOMOPHONES = 4  # and in homophones only from this length (是市委 is no disguise of 市市委)


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str  # the normalised form looked for
    term: Term
    standard: bool  # a standard form: found only when written differently from itself
    fix_offsets: tuple[int, ...]  # where ``key`` sits inside the normalised suggestion (the correct form)
    fix: str  # the normalised suggestion
    ascii_left: bool
    ascii_right: bool


@dataclass(frozen=True, slots=True)
class _Target:
    """A term looked for in disguise (letters for characters, homophones)."""

    chars: str
    kind: str
    suggestion: str
    severity: str
    reason: str


class Checker:
    """Checks texts against lexicons (sensitive, formulation, misused) and the built-in rules.

    ``names`` maps a leader's name to the titles they hold ({"张三": ["区长", "区委副书记"]}).
    Building is done once here; ``check`` is safe to call from several threads.
    """

    def __init__(self, terms: Iterable[Term], names: Mapping[str, Sequence[str]] = {}) -> None:  # noqa: B006
        self._exact = ahocorasick.Automaton()
        keyed: dict[str, list[_Entry]] = {}
        targets: dict[str, _Target] = {}
        for term in terms:
            key = normalise(term.term)
            if not key:
                continue
            fix = normalise(term.suggestion) if term.suggestion else ""
            standard = fix == key
            offsets = _occurrences(key, fix) if fix and not standard else ()
            entry = _Entry(key, term, standard, offsets, fix, bool(_ALNUM.match(key[0])), bool(_ALNUM.match(key[-1])))
            keyed.setdefault(key, []).append(entry)
            # disguises are looked for of sensitive terms and of both forms of a formulation
            if term.kind == "formulation" and fix:
                forms: tuple[str, ...] = (key, fix)
            elif term.kind == "sensitive" and not standard:  # a standard sensitive entry only protects text
                forms = (key,)
            else:
                forms = ()
            for chars in forms:
                if len(chars) >= MIN_DISGUISED and all(is_cjk(c) for c in chars):
                    _add_target(targets, chars, term, term.suggestion)
        for key, entries in keyed.items():
            self._exact.add_word(_units(key), tuple(entries))
        if standards := [t for t in targets if t not in keyed]:
            # a standard form written with spaces or full-width letters is found by the exact automaton
            for chars in standards:
                target = targets[chars]
                term = Term(chars, target.kind, chars, "", target.severity, target.reason)
                self._exact.add_word(_units(chars), (_Entry(chars, term, True, (), chars, False, False),))
        self._has_exact = len(self._exact) > 0
        if self._has_exact:
            self._exact.make_automaton()
        self._targets = targets
        # what is written as some entry or its correction is never a disguise of another entry
        self._known = frozenset(keyed) | frozenset(targets) | {e.fix for v in keyed.values() for e in v if e.fix}
        self._initials, self._codes = ahocorasick.Automaton(), ahocorasick.Automaton()
        self._max_target = 0
        self._has_codes = False
        if targets:
            initials, codes, _ = pinyin.tables()
            by_initials: dict[str, list[str]] = {}
            by_codes: dict[str, list[str]] = {}
            for chars in targets:
                key_i = chars.translate(initials)
                key_c = chars.translate(codes)
                if any(is_cjk(c) for c in key_i):  # a character without a reading
                    continue
                by_initials.setdefault(key_i, []).append(chars)
                if len(chars) >= MIN_HOMOPHONES:
                    by_codes.setdefault(key_c, []).append(chars)
                self._max_target = max(self._max_target, len(chars))
            for key, values in by_initials.items():
                self._initials.add_word(key, tuple(values))
            for key, values in by_codes.items():
                self._codes.add_word(_units(key), tuple(values))
            if by_initials:
                self._initials.make_automaton()
            if by_codes:
                self._codes.make_automaton()
            self._has_codes = bool(by_codes)
        self._has_targets = self._max_target > 0
        self._title_rule = rules.TitleRule(names)

    # ------------------------------------------------------------------ public

    def check(self, text: str, allow: Iterable[tuple[str, str]] = ()) -> list[Finding]:
        """Every finding in ``text``, sorted by start; ``allow`` (kind, text) pairs are left out."""
        if not text:
            return []
        findings = self.lexicon_findings(text)
        findings += rules.placeholders(text)
        findings += rules.brackets(text)
        findings += rules.punctuation(text)
        findings += rules.consistency(text)
        findings += rules.regions(text)
        findings += self._title_rule(text)
        allowed = {(kind, value) for kind, value in allow}
        unique = {(f.start, f.end, f.kind, f.suggestion): f for f in findings if (f.kind, f.text) not in allowed}
        return sorted(unique.values(), key=lambda f: (f.start, f.end, f.kind))

    def lexicon_findings(self, text: str) -> list[Finding]:
        """Only the lexicon part (exact and disguised matches): what the benchmark times as the automaton."""
        norm = Normalised(text)
        found = self._exact_matches(norm) if self._has_exact else []
        if self._has_targets:
            taken = bytearray(len(text))  # 1 under an exact match: a disguise overlapping one is left out
            for f in found:
                taken[f.start : f.end] = b"\x01" * (f.end - f.start)
            for finding in self._disguised(norm):
                if not any(taken[finding.start : finding.end]):
                    found.append(finding)
        return found

    # ------------------------------------------------------------------ lexicon

    def _exact_matches(self, norm: Normalised) -> list[Finding]:
        s = norm.text
        hits: list[tuple[int, int, _Entry]] = []
        for start, end, entries in _iter_units(self._exact, s):
            for entry in entries:
                if entry.ascii_left and start > 0 and _ALNUM.match(s[start - 1]):
                    continue
                if entry.ascii_right and end < len(s) and _ALNUM.match(s[end]):
                    continue
                if any(s.startswith(entry.fix, start - k) for k in entry.fix_offsets if start - k >= 0):
                    continue  # the correct form itself (人大常委 inside 人大常委会委员)
                hits.append((start, end, entry))
        if not hits:
            return []
        # an entry inside a longer one of the same kind is left out (东莞市市委 holds 市市委)
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, _Entry]] = []
        active: list[tuple[int, int, _Entry]] = []  # kept hits that may still contain the next ones
        for hit in hits:
            start, end, entry = hit
            active = [a for a in active if a[1] > start]
            kind = entry.term.kind
            if any(end <= ke and (ke - ks) > (end - start) and e.term.kind == kind for ks, ke, e in active):
                continue
            kept.append(hit)
            active.append(hit)
        findings = []
        for start, end, entry in kept:
            o_start, o_end = norm.span(start, end)
            original = norm.source[o_start:o_end]
            term = entry.term
            if entry.standard:
                if original == term.term:
                    continue
                reason = f"变体写法（全角、空格或不可见字符）：应写作“{term.term}”"
                findings.append(Finding(o_start, o_end, term.kind, term.severity, original, term.term, reason))
                continue
            findings.append(Finding(o_start, o_end, term.kind, term.severity, original, term.suggestion, _reason(term)))
        return findings

    def _disguised(self, norm: Normalised) -> list[Finding]:
        s = norm.text
        initials, codes = pinyin.translation_tables()
        candidates: set[tuple[int, int, str]] = set()
        # letters standing for characters: only around Latin letters
        windows = []
        span = self._max_target - 1
        for match in _LETTERS_RE.finditer(s):
            lo, hi = max(0, match.start() - span), min(len(s), match.end() + span)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        if windows:
            skeleton = s.translate(initials)
            for lo, hi in windows:
                for end_index, values in self._initials.iter(skeleton, lo, hi):
                    for chars in values:
                        candidates.add((end_index + 1 - len(chars), end_index + 1, chars))
        # homophones: the same toneless syllables
        if self._has_codes:
            for start, end, values in _iter_units(self._codes, s.translate(codes)):
                for chars in values:
                    candidates.add((start, end, chars))
        findings = []
        for start, end, chars in sorted(candidates):
            window = s[start:end]
            if window in self._known or not _disguise_of(window, chars):  # 铸牢 is no disguise of 筑牢
                continue
            target = self._targets[chars]
            o_start, o_end = norm.span(start, end)
            findings.append(
                Finding(
                    o_start,
                    o_end,
                    target.kind,
                    target.severity,
                    norm.source[o_start:o_end],
                    target.suggestion,
                    target.reason,
                )
            )
        return findings


def _occurrences(needle: str, haystack: str) -> tuple[int, ...]:
    """Every index where ``needle`` starts in ``haystack`` (overlapping ones too)."""
    found = []
    index = haystack.find(needle)
    while index >= 0:
        found.append(index)
        index = haystack.find(needle, index + 1)
    return tuple(found)


def _units(text: str) -> str:
    """The UTF-16 code units of ``text`` as hexadecimal digits, four per unit.

    pyahocorasick looks a node's children up one by one, which is slow when the root has
    thousands of children (every CJK character a term starts with); over hexadecimal digits a
    node has at most 16, which makes matching several times faster for large lexicons.
    """
    return text.encode("utf-16-be", "surrogatepass").hex()


def _iter_units(automaton: ahocorasick.Automaton, text: str):
    """``(start, end, value)`` in ``text``'s indices of every match of a ``_units`` automaton."""
    encoded = _units(text)
    if len(encoded) == 4 * len(text):
        for end_index, value in automaton.iter(encoded):
            if not (end_index + 1) % 4:  # a whole code unit (keys are whole units, so the start is too)
                end = (end_index + 1) // 4
                yield end - len(value[0].key if isinstance(value[0], _Entry) else value[0]), end, value
        return
    index = [i for i, char in enumerate(text) for _ in range(2 if ord(char) > 0xFFFF else 1)]
    for end_index, value in automaton.iter(encoded):
        if not (end_index + 1) % 4:
            end_unit = (end_index + 1) // 4
            key = value[0].key if isinstance(value[0], _Entry) else value[0]
            start_unit = end_unit - len(_units(key)) // 4
            yield index[start_unit], index[end_unit - 1] + 1, value


def _add_target(targets: dict[str, _Target], chars: str, term: Term, suggestion: str) -> None:
    fixed = suggestion or ""
    reason = (
        f"疑似变体写法（字母、谐音字代替汉字）：“{fixed}”" if fixed else "疑似敏感词的变体写法（字母、谐音字代替汉字）"
    )
    if term.kind == "sensitive" and not fixed:
        reason = f"疑似敏感词“{term.term}”的变体写法（字母、谐音字代替汉字）"
    old = targets.get(chars)
    if old is None or _RANK[term.severity] < _RANK[old.severity]:
        targets[chars] = _Target(chars, term.kind, fixed, term.severity, reason)


def _disguise_of(window: str, chars: str) -> bool:
    """Each position the same character, a same-syllable character or that initial; ≥1 of each kind.

    Homophones alone (no letter) need a term of ``MIN_HOMOPHONES`` characters, at least half of
    them unchanged.
    """
    same = changed = letters = 0
    for got, want in zip(window, chars, strict=True):
        if got == want:
            same += 1
        elif "a" <= got <= "z":
            if not any(r[0] == got for r in pinyin.readings(want)):
                return False
            changed += 1
            letters += 1
        elif pinyin.readings(got) & pinyin.readings(want):
            changed += 1
        else:
            return False
    if not letters and (len(chars) < MIN_HOMOPHONES or 2 * same < len(chars)):
        return False
    return same >= 1 and changed >= 1


def _reason(term: Term) -> str:
    if term.reason:
        return term.reason
    if term.kind == "sensitive":
        return f"敏感词（{term.category}）" if term.category else "敏感词"
    if term.kind == "formulation":
        return "不规范表述" + (f"，应为“{term.suggestion}”" if term.suggestion else "")
    return "常见错别字" + (f"，应为“{term.suggestion}”" if term.suggestion else "")


_default: Checker | None = None
_default_lock = threading.Lock()


def default_checker() -> Checker:
    """The module-level checker of the shipped lexicons, built on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Checker(default_terms())
    return _default


def apply_suggestions(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with each finding replaced by its suggestion (the corrected text to download).

    Findings without a suggestion, that no longer match the text, or that overlap one applied
    before them (by position) are left out.
    """
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if not finding.suggestion or finding.start < position or text[finding.start : finding.end] != finding.text:
            continue
        pieces += [text[position : finding.start], finding.suggestion]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def check(text: str) -> list[Finding]:
    """Check ``text`` with the shipped lexicons and every rule."""
    return default_checker().check(text)
