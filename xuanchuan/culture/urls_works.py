"""Pages of the culture app's works part: calls for works and their online exhibition, the review
of submitted works (staff, under ``works/``), and the residents' phone pages (under ``m/works/``)."""

from django.urls import path

from xuanchuan.culture.views import works as views
from xuanchuan.culture.views import works_public as public

urlpatterns = [
    path("works/calls/", views.CallListView.as_view(), name="call_list"),
    path("works/calls/new/", views.call_create, name="call_create"),
    path("works/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("works/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("works/calls/<int:pk>/open/", views.call_open, name="call_open"),
    path("works/calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("works/calls/<int:pk>/exhibition/", views.call_exhibition, name="call_exhibition"),
    path("works/submissions/", views.SubmissionQueueView.as_view(), name="submission_queue"),
    path("works/submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("works/submissions/<int:pk>/decide/", views.submission_decide, name="submission_decide"),
    path("works/submissions/<int:pk>/images/<int:image_pk>/", views.submission_image, name="submission_image"),
    path("works/submissions/<int:pk>/images/<int:image_pk>/thumb/", views.submission_thumb, name="submission_thumb"),
    path("m/works/", public.m_calls, name="m_calls"),
    path("m/works/status/", public.m_status, name="m_status"),
    path("m/works/sent/<str:reference>/", public.m_submitted, name="m_submitted"),
    path("m/works/<int:pk>/", public.m_call, name="m_call"),
    path("m/works/<int:pk>/exhibition/", public.m_exhibition, name="m_exhibition"),
    path("m/works/<int:pk>/exhibition/<int:submission_pk>/", public.m_work, name="m_work"),
    path("m/works/images/<int:image_pk>/", public.m_work_image, name="m_work_image"),
    path("m/works/images/<int:image_pk>/thumb/", public.m_work_thumb, name="m_work_thumb"),
]
