"""Pages of the civility app's standards part (included by ``civility/urls.py``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
