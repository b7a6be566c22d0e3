"""Figures of the culture app: series, events (photos, video links), the calendar."""
