"""Report paragraphs of the civility app's standards part (see ``report_text.py``)."""
