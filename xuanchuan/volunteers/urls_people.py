"""Pages of the volunteers app's people part."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
