"""Pages of the volunteers app's sites part."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
