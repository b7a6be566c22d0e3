"""Proofreading: a 10,000-character article against a 50,000-term lexicon.

Baseline, in the same process: a compiled regular-expression alternation of the same terms
(``re.compile("|".join(map(re.escape, terms)))``) run over the same text with ``finditer``.
Against it: the bare Aho-Corasick automaton of the same terms (pyahocorasick, ``iter``) over the
characters and over the text's UTF-16 code units written as hexadecimal digits (what the engine
does: pyahocorasick looks a node's children up one by one, slow at a root with thousands); the
engine's lexicon stage (``Checker.lexicon_findings``: normalisation with the offset map, the exact
automaton, the disguise search over pinyin skeletons, the findings); and the whole ``check()``
(the lexicon stage plus every rule). Everything is deterministic (fixed seed); no Django, no
database.

    .venv/bin/python benchmarks/bench_proofing.py [--terms 50000] [--chars 10000] [--seconds 2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SEED = 20261205

# Sentences in the register of a district publicity department's work report; {} are filled with
# numbers, dates, unit names and (now and then) a lexicon term.
SENTENCES = (
    "今年以来，{unit}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，围绕中心、服务大局。",
    "{date}，{unit}召开理论学习中心组学习会议，专题学习{topic}，参会人员{n}人。",
    "全年共组织各类宣讲活动{n}场次，受众{n}万人次，推动党的创新理论飞入寻常百姓家。",
    "在区政务网和“{unit}发布”微信公众号刊发稿件{n}篇，总阅读量{n}万人次，同比增长{pct}。",
    "统筹做好{topic}宣传，制作宣传横幅{n}条、车贴{n}张、宣传彩页{n}万份，发送公益短信{n}万条。",
    "深化新时代文明实践中心建设，建成实践所{n}个、实践站{n}个，组建志愿服务队伍{n}支。",
    "严格落实意识形态工作责任制，{unit}开展专项检查{n}次，发现并整改问题{n}个。",
    "加强网络生态治理，处置不良信息{n}条，{term}工作取得新成效。",
    "三审制度落实到位，初审、复审、终审各环节责任明确，全年审核稿件{n}篇。",
    "{unit}在{date}组织开展“{topic}”主题活动，吸引群众{n}人参与，社会反响良好。",
    "下一步，我们将进一步提高政治站位，压实工作责任，推动宣传思想文化工作高质量发展。",
    "区融媒体中心制作短视频{n}条，抖音平台播放量{n}万次，点赞{n}万次，转发{n}次。",
    "积极对接中央和省市媒体，在省级以上媒体刊发稿件{n}篇，其中中央级媒体{n}篇。",
)
UNITS = ("区委宣传部", "城关街道", "东城街道", "西城街道", "区融媒体中心", "区文明办", "区网信办", "区文化和旅游局")
TOPICS = ("扫黑除恶专项斗争", "疫情防控", "乡村振兴", "文明城市创建", "社会主义核心价值观", "法治宣传教育")


def article(chars: int, hits: list[str], rng: random.Random) -> str:
    """A deterministic report-like text of exactly ``chars`` characters, with lexicon terms in it."""
    parts: list[str] = []
    length = 0
    while length < chars:
        sentence = rng.choice(SENTENCES).format(
            unit=rng.choice(UNITS),
            topic=rng.choice(TOPICS),
            n="{n}",
            pct=f"{rng.randint(1, 60)}.{rng.randint(0, 9)}%",
            date=f"{rng.randint(2024, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            term=rng.choice(hits) if rng.random() < 0.5 else "网络舆情引导",
        )
        while "{n}" in sentence:
            sentence = sentence.replace("{n}", str(rng.randint(2, 999)), 1)
        if rng.random() < 0.08:
            sentence += "\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:chars]


def lexicon(size: int, rng: random.Random):
    """The shipped terms plus deterministic synthetic ones (3–6 characters) up to ``size`` terms."""
    from xuanchuan.proofing import Term, default_terms

    terms = default_terms()
    seen = {t.term for t in terms}
    pool = [chr(cp) for cp in range(0x4E00, 0x9FA6)]
    kinds = ("sensitive", "sensitive", "sensitive", "formulation", "misused")
    while len(terms) < size:
        word = "".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
        if word not in seen:
            seen.add(word)
            kind = rng.choice(kinds)
            terms.append(Term(word, kind, "" if kind == "sensitive" else word[::-1], "合成词条", "medium"))
    return terms


def per_call_ms(function, seconds: float) -> tuple[float, float]:
    """(wall, CPU) milliseconds per call over about ``seconds`` (after one warm-up call), at least 3 calls.

    The CPU time (``time.process_time``) is the steadier figure on a shared, loaded machine.
    """
    function()
    calls = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - started) < seconds or calls < 3:
        function()
        calls += 1
    return elapsed / calls * 1000, (time.process_time() - cpu_started) / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true", help="also a CPU profile of 200 check() calls")
    args = parser.parse_args()

    import ahocorasick

    from xuanchuan.proofing import Checker
    from xuanchuan.proofing.checker import _units as units
    from xuanchuan.proofing.text import Normalised

    rng = random.Random(SEED)
    terms = lexicon(args.terms, rng)
    words = [t.term for t in terms]
    hits = [t.term for t in terms[:300] if t.suggestion != t.term] + rng.sample(words[-1000:], 50)
    text = article(args.chars, hits, rng)

    started = time.perf_counter()
    checker = Checker(terms)
    build_checker = time.perf_counter() - started
    started = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for index, word in enumerate(words):
        automaton.add_word(word, index)
    automaton.make_automaton()
    build_automaton = time.perf_counter() - started
    started = time.perf_counter()
    hex_automaton = ahocorasick.Automaton()
    for index, word in enumerate(words):
        hex_automaton.add_word(units(word), index)
    hex_automaton.make_automaton()
    build_hex = time.perf_counter() - started

    def hex_match() -> list[tuple[int, int]]:
        found = []
        for end, index in hex_automaton.iter(units(text)):
            if not (end + 1) % 4:  # whole UTF-16 code units only
                found.append(((end + 1) // 4 - len(words[index]), index))
        return found

    started = time.perf_counter()
    alternation = re.compile("|".join(map(re.escape, words)))
    build_regex = time.perf_counter() - started

    matches_regex = sum(1 for _ in alternation.finditer(text))
    matches_automaton = sum(1 for _ in automaton.iter(text))
    assert len(hex_match()) == matches_automaton, "the automaton over hex units misses or adds matches"
    findings = checker.check(text)

    cases = [
        ("baseline: compiled regex alternation, finditer", lambda: list(alternation.finditer(text))),
        ("automaton over characters (pyahocorasick iter)", lambda: list(automaton.iter(text))),
        ("automaton over UTF-16 hex units (the engine's)", hex_match),
        ("lexicon stage (normalise, exact, disguises)", lambda: checker.lexicon_findings(text)),
        ("whole check()", lambda: checker.check(text)),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor() or platform.system()}")
    print(
        f"article: {len(text):,} characters; lexicon: {len(terms):,} terms; "
        f"regex matches {matches_regex}, automaton matches {matches_automaton}, findings {len(findings)}"
    )
    print(
        f"build: Checker {build_checker * 1000:,.0f} ms, automaton over characters {build_automaton * 1000:,.0f} ms, "
        f"over hex units {build_hex * 1000:,.0f} ms, "
        f"regex compile {build_regex * 1000:,.0f} ms"
    )
    results = [(label, *per_call_ms(function, args.seconds)) for label, function in cases]
    baseline = results[0][2]
    print(f"{'case':<50} {'wall ms':>9} {'CPU ms':>9} {'× faster than regex (CPU)':>26}")
    for label, wall, cpu in results:
        print(f"{label:<50} {wall:>9.2f} {cpu:>9.2f} {baseline / cpu:>25.1f}×")
    wall, cpu = per_call_ms(lambda: Normalised(text), args.seconds / 2)
    print(f"(of which the normalised view with its offset map: {cpu:.2f} ms CPU)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(200):
            checker.check(text)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
