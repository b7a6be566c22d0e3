"""Pages of the theory app (namespace ``theory``), one URL module per part: central study groups,
plans, sessions, attendance, leave and speeches (``urls_study``); lecture teams, lecturers,
lectures, requests and the calendar (``urls_lectures``); the classroom's categories, uploads, items
and their media (``urls_classroom``); the public phone classroom, viewers' progress and questions
(``urls_viewers``). Public phone pages are under ``m/``."""

from django.urls import include, path

app_name = "theory"
urlpatterns = [
    path("", include("xuanchuan.theory.urls_study")),
    path("", include("xuanchuan.theory.urls_lectures")),
    path("", include("xuanchuan.theory.urls_classroom")),
    path("", include("xuanchuan.theory.urls_viewers")),
]
