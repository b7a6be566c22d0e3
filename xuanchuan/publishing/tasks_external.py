"""Background jobs of the publishing app's external part (see ``tasks.py``)."""
