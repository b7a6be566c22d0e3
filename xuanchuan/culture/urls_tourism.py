"""Pages of the culture app:
holiday dates, holiday tourism figures entered or imported from Excel, year-on-year change."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
