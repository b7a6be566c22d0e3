"""Report paragraphs of the civility app's problems part (see ``report_text.py``)."""
