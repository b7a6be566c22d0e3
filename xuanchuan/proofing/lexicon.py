"""The shipped lexicons: tab-separated files under ``data/`` written by the project (see README.md).

Columns: term, suggestion, category, severity, reason. ``#`` starts a comment line; blank lines
are skipped. The kind of an entry is the file it is in (sensitive.tsv, formulation.tsv, misused.tsv).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .findings import LEXICON_KINDS, Term

DATA = Path(__file__).resolve().parent / "data"


def parse_tsv(lines, kind: str, source: str = "") -> list[Term]:
    """Terms of one lexicon file; a malformed line raises ``ValueError`` naming the line."""
    terms = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        cells += [""] * (5 - len(cells))
        term, suggestion, category, severity, reason = cells[:5]
        try:
            terms.append(Term(term, kind, suggestion, category, severity or "medium", reason))
        except ValueError as exc:
            raise ValueError(f"{source or kind} 第 {number} 行：{exc}") from exc
    return terms


@cache
def _default_terms() -> tuple[Term, ...]:
    terms: list[Term] = []
    for kind in LEXICON_KINDS:
        path = DATA / f"{kind}.tsv"
        with path.open(encoding="utf-8") as handle:
            terms += parse_tsv(handle, kind, path.name)
    return tuple(terms)


def default_terms() -> list[Term]:
    """The shipped lexicons (a new list on every call; the terms are immutable)."""
    return list(_default_terms())
