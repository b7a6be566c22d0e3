"""数据看板 URLs, included from ``reports/urls.py`` under ``dashboards/`` in the ``reports`` namespace."""

from django.urls import path

from xuanchuan.reports import dashboard_views

urlpatterns = [
    path("", dashboard_views.overview, name="dashboard"),
    path("<slug:app>/", dashboard_views.module_dashboard, name="dashboard_module"),
]
