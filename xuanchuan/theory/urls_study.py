"""Pages of the theory app's study part: central study groups, members, plans, sessions, attendance by
the changing code, leave and make-up, speeches, a member's own record."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
