"""Pages of the culture app's tourism part: the year-on-year table of holiday tourism with its stat
rows, the holidays' dates by year (set per year and holiday), a stat's form and deletion, and the
Excel import (template, upload and preview, confirmation)."""

from django.urls import path

from xuanchuan.culture.views import tourism as views

urlpatterns = [
    path("tourism/", views.tourism_list, name="tourism_list"),
    path("tourism/holidays/", views.holiday_list, name="holiday_list"),
    path("tourism/holidays/<int:year>/<slug:holiday>/", views.holiday_edit, name="holiday_edit"),
    path("tourism/stats/new/", views.stat_create, name="stat_create"),
    path("tourism/stats/<int:pk>/edit/", views.stat_edit, name="stat_edit"),
    path("tourism/stats/<int:pk>/delete/", views.stat_delete, name="stat_delete"),
    path("tourism/import/", views.tourism_import, name="tourism_import"),
    path("tourism/import/template/", views.tourism_import_template, name="tourism_import_template"),
    path("tourism/import/confirm/", views.tourism_import_confirm, name="tourism_import_confirm"),
]
