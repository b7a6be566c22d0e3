"""Report paragraphs of the publishing app's review part (see ``report_text.py``)."""
