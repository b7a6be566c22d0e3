"""Pages of the volunteers app's activities part."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
