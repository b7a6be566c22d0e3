"""Pages of the volunteers app's points part."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
