"""The district news site, served to the public under ``/news/`` (namespace ``news``)."""

from django.urls import path  # noqa: F401

app_name = "news"
urlpatterns: list = []
