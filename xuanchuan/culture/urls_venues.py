"""Pages of the culture app: venues and what is held there; arts associations and their members."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
