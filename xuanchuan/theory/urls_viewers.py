"""Pages of the theory app's viewers part: the public phone classroom (categories, search, the player,
resuming), viewers' progress and plays, residents' questions and their review and answers."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
