"""The civility app's paragraphs of the default report template, by part."""

from xuanchuan.civility import report_text_problems, report_text_standards, report_text_tickets  # noqa: F401
