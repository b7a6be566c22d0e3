"""Pages of the civility app's open311 part (included by ``civility/urls.py`` at ``open311/``):
the clients that may submit citizens' reports and their keys."""

from django.urls import path

from xuanchuan.civility.views import open311_clients as views

urlpatterns = [
    path("clients/", views.ApiClientListView.as_view(), name="open311_client_list"),
    path("clients/new/", views.client_create, name="open311_client_create"),
    path("clients/<int:pk>/revoke/", views.client_revoke, name="open311_client_revoke"),
]
