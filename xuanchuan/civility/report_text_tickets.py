"""Report paragraphs of the civility app's tickets part (see ``report_text.py``)."""
