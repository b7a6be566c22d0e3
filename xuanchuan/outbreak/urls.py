from django.urls import path

from xuanchuan.outbreak import views

urlpatterns = [
    path("", views.board, name="board"),
    path("fill/<int:unit_id>/", views.report_entry, name="report_entry"),
    path("fill/<int:unit_id>/unchanged/", views.report_unchanged, name="report_unchanged"),
    path("fill/<int:unit_id>/reopen/", views.reopen, name="reopen"),
    path("approve/", views.approve, name="approve"),
    path("reports/", views.DailyReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.DailyReportDetailView.as_view(), name="report_detail"),
    path("rollup/", views.rollup, name="rollup"),
    path("rates/", views.rates, name="rates"),
    path("forms/", views.ReportFormListView.as_view(), name="form_list"),
    path("forms/new/", views.form_edit, name="form_create"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form_edit"),
]
