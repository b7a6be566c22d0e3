"""The publishing app's paragraphs of the default report template, by part."""

from xuanchuan.publishing import report_text_outlets, report_text_review  # noqa: F401 (they register themselves)
