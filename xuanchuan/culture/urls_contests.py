"""Pages of the culture app:
competitions (rounds, contestants, scores, recommendation) and local-product campaigns with their videos."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
