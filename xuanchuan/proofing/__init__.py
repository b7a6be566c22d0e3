"""校对引擎 The proofreading engine: a plain Python library (it never imports Django).

    from xuanchuan.proofing import check
    for finding in check("深入推进打黑除恶专项斗争。"):
        print(finding.start, finding.end, finding.kind, finding.suggestion)

See README.md in this folder for the rules, the lexicon files and their provenance.
"""

from .checker import Checker, apply_suggestions, check, default_checker
from .findings import KINDS, LEXICON_KINDS, SEVERITIES, Finding, Term
from .lexicon import default_terms, parse_tsv

__all__ = [
    "KINDS",
    "LEXICON_KINDS",
    "SEVERITIES",
    "Checker",
    "Finding",
    "Term",
    "apply_suggestions",
    "check",
    "default_checker",
    "default_terms",
    "parse_tsv",
]
