"""Pages of the publishing app's outlets part (included by ``publishing/urls.py`` at ``outlets/``)."""

from django.urls import path

from xuanchuan.publishing.views import outlets as views

urlpatterns = [
    path("", views.OutletListView.as_view(), name="outlet_list"),
    path("new/", views.outlet_create, name="outlet_create"),
    path("<int:pk>/", views.outlet_detail, name="outlet_detail"),
    path("<int:pk>/edit/", views.outlet_edit, name="outlet_edit"),
    path("<int:pk>/close/", views.outlet_close, name="outlet_close"),
    path("<int:pk>/columns/new/", views.column_create, name="column_create"),
    path("columns/<int:pk>/edit/", views.column_edit, name="column_edit"),
    path("columns/<int:pk>/close/", views.column_close, name="column_close"),
    path("columns/<int:pk>/move/", views.column_move, name="column_move"),
]
