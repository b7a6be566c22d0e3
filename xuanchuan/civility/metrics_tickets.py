"""Figures of the civility app's tickets part (see ``metrics.py``)."""
