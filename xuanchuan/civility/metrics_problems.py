"""Figures of the civility app's problems part (see ``metrics.py``)."""
