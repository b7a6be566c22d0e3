"""Figures of the publishing app's outlets part (see ``metrics.py``)."""
