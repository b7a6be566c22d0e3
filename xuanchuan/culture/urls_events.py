"""Pages of the culture app: series, events (photos, video links), the calendar."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
