"""Background jobs of the publishing app's review part (see ``tasks.py``)."""
