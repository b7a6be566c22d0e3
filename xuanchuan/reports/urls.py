from django.urls import include, path

from xuanchuan.reports import report_views, views

urlpatterns = [
    path("figures/", views.figure_list, name="figure_list"),
    path("figures/<str:key>/", views.figure_detail, name="figure_detail"),
    path("documents/", report_views.report_home, name="home"),
    path("templates/preview/", report_views.template_preview, name="template_preview"),
    path("templates/<str:pk>/", report_views.template_detail, name="template_detail"),
    path("templates/<str:pk>/copy/", report_views.template_copy, name="template_copy"),
    path("templates/<int:pk>/edit/", report_views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", report_views.template_delete, name="template_delete"),
    path("imports/new/", report_views.import_start, name="import_start"),
    path("imports/<int:pk>/", report_views.import_review, name="import_review"),
    path("generate/", report_views.generate, name="generate"),
    path("generated/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("generated/<int:pk>/progress/", report_views.report_progress, name="report_progress"),
    path("generated/<int:pk>/docx/", report_views.report_docx, name="report_docx"),
    path("generated/<int:pk>/xlsx/", report_views.report_xlsx, name="report_xlsx"),
    path("generated/<int:pk>/delete/", report_views.report_delete, name="report_delete"),
    path("dashboards/", include("xuanchuan.reports.dashboard_urls")),
]
