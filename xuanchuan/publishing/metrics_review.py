"""Figures of the publishing app's review part (see ``metrics.py``)."""
