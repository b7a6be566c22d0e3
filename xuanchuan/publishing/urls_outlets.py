"""Pages of the publishing app's outlets part (included by ``publishing/urls.py``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
