"""Pages of the volunteers app's attendance part."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
