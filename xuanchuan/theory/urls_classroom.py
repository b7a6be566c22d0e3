"""Pages of the theory app's classroom part: the classroom's categories, resumable uploads, items
(publish, withdraw) and the media and posters they are played from."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
