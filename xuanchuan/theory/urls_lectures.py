"""Pages of the theory app's lectures part: lecture teams on four levels, lecturers, lectures with
photos, residents' and units' requests, the calendar."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
