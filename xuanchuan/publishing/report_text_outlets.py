"""Report paragraphs of the publishing app's outlets part (see ``report_text.py``)."""
