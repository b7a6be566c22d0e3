"""Pages of the theory app's lectures part: lecture teams on four levels, lecturers, lectures with
photos, residents' and units' requests, the calendar."""

from django.urls import path

from xuanchuan.theory.views import lectures as views
from xuanchuan.theory.views import lectures_public as public
from xuanchuan.theory.views import lectures_requests as requests
from xuanchuan.theory.views import lectures_teams as teams

urlpatterns = [
    path("lectures/teams/", teams.TeamListView.as_view(), name="team_list"),
    path("lectures/teams/new/", teams.team_create, name="team_create"),
    path("lectures/teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("lectures/teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path("lectures/teams/<int:pk>/deactivate/", teams.team_deactivate, name="team_deactivate"),
    path("lectures/lecturers/", teams.LecturerListView.as_view(), name="lecturer_list"),
    path("lectures/lecturers/new/", teams.lecturer_create, name="lecturer_create"),
    path("lectures/lecturers/<int:pk>/", teams.lecturer_detail, name="lecturer_detail"),
    path("lectures/lecturers/<int:pk>/edit/", teams.lecturer_edit, name="lecturer_edit"),
    path("lectures/", views.LectureListView.as_view(), name="lecture_list"),
    path("lectures/new/", views.lecture_create, name="lecture_create"),
    path("lectures/calendar/", views.lecture_calendar, name="lecture_calendar"),
    path("lectures/<int:pk>/", views.lecture_detail, name="lecture_detail"),
    path("lectures/<int:pk>/edit/", views.lecture_edit, name="lecture_edit"),
    path("lectures/<int:pk>/record/", views.lecture_record, name="lecture_record"),
    path("lectures/<int:pk>/cancel/", views.lecture_cancel, name="lecture_cancel"),
    path("lectures/photos/<int:pk>/", views.lecture_photo, name="lecture_photo"),
    path("lectures/requests/", requests.RequestListView.as_view(), name="request_list"),
    path("lectures/requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("lectures/requests/<int:pk>/assign/", requests.request_assign, name="request_assign"),
    path("lectures/requests/<int:pk>/decline/", requests.request_decline, name="request_decline"),
    path("lectures/requests/<int:pk>/schedule/", requests.request_schedule, name="request_schedule"),
    path("m/request/", public.m_request, name="m_request"),
    path("m/request/sent/", public.m_request_done, name="m_request_done"),
]
