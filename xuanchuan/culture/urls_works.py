"""Pages of the culture app: public calls for works, submissions from the phone page, review, the online exhibition."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
