"""Figures of the civility app's standards part (see ``metrics.py``)."""
