"""Pages of the civility app's standards part (included by ``civility/urls.py`` at ``standards/``):
the category standard, places (点位) and responsibilities (包街、包帮、包点)."""

from django.urls import path

from xuanchuan.civility.views import standards as views

urlpatterns = [
    path("", views.standard_list, name="standard_list"),
    path("import/", views.standard_import, name="standard_import"),
    path("<int:pk>/", views.standard_detail, name="standard_detail"),
    path("<int:pk>/copy/", views.standard_copy, name="standard_copy"),
    path("<int:pk>/make-current/", views.standard_make_current, name="standard_make_current"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("categories/<int:pk>/toggle/", views.category_toggle, name="category_toggle"),
    path("places/", views.PlaceListView.as_view(), name="place_list"),
    path("places/new/", views.place_create, name="place_create"),
    path("places/import/", views.place_import, name="place_import"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/toggle/", views.place_toggle, name="place_toggle"),
    path("places/<int:pk>/assignments/new/", views.assignment_create, name="assignment_create"),
    path("responsibilities/", views.responsibility_list, name="responsibility_list"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
]
