"""Puts a published item out on the outlets it targets (receiver of ``publishing.signals``)."""
