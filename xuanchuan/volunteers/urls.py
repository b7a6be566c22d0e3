"""Pages of the volunteers app (namespace ``volunteers``), one URL module per part: practice sites,
brands and teams (``urls_sites``), volunteers and their record, sign-in on a phone and certificates
(``urls_people``), projects, activities and sign-up (``urls_activities``), check-in, hours and their
approval (``urls_attendance``), good-deed points and the shop (``urls_points``). Residents' phone
pages are under ``m/``; the public certificate check is ``verify/``."""

from django.urls import include, path

app_name = "volunteers"
urlpatterns = [
    path("", include("xuanchuan.volunteers.urls_sites")),
    path("", include("xuanchuan.volunteers.urls_people")),
    path("", include("xuanchuan.volunteers.urls_activities")),
    path("", include("xuanchuan.volunteers.urls_attendance")),
    path("", include("xuanchuan.volunteers.urls_points")),
]
