"""Pages of the volunteers app's attendance part: the organiser's check-in screen, records and hours
(staff), and the volunteer's scan, typed code and hours (phone, under ``m/``)."""

from django.urls import path

from xuanchuan.volunteers.views import attendance as views

urlpatterns = [
    path("activities/<int:pk>/checkin/", views.checkin_screen, name="checkin_screen"),
    path("activities/<int:pk>/checkin/state/", views.checkin_screen_state, name="checkin_screen_state"),
    path("activities/<int:pk>/checkin/close/", views.checkin_close, name="checkin_close"),
    path("activities/<int:pk>/hours/", views.hours_enter, name="hours_enter"),
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/pending/", views.hours_queue, name="hours_queue"),
    path("records/disputes/", views.DisputeListView.as_view(), name="dispute_list"),
    path("records/disputes/<int:pk>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/correct/", views.record_correct, name="record_correct"),
    path("records/<int:pk>/approve/", views.record_approve, name="record_approve"),
    path("records/<int:pk>/refuse/", views.record_refuse, name="record_refuse"),
    path("m/scan/<int:pk>/<str:code>/", views.scan, name="scan"),
    path("m/checkin/", views.m_checkin_code, name="m_checkin_code"),
    path("m/hours/", views.m_hours, name="m_hours"),
    path("m/hours/records/<int:pk>/dispute/", views.m_hours_dispute, name="m_hours_dispute"),
    path("m/hours/<int:activity_pk>/request/", views.m_hours_request, name="m_hours_request"),
]
