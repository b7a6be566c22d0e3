"""The Open311 GeoReport v2 endpoints (``/open311/v2/``, namespace ``open311``)."""

from django.urls import path  # noqa: F401

app_name = "open311"
urlpatterns: list = []
