"""Pages of the culture app: venues and what is held there; arts associations and their members."""

from django.urls import path

from xuanchuan.culture.views import venues as views
from xuanchuan.culture.views import venues_associations as associations

urlpatterns = [
    path("venues/", views.VenueListView.as_view(), name="venue_list"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/close/", views.venue_close, name="venue_close"),
    path("venues/<int:pk>/reopen/", views.venue_reopen, name="venue_reopen"),
    path("venues/<int:pk>/delete/", views.venue_delete, name="venue_delete"),
    path("associations/", associations.AssociationListView.as_view(), name="association_list"),
    path("associations/new/", associations.association_create, name="association_create"),
    path("associations/<int:pk>/", associations.association_detail, name="association_detail"),
    path("associations/<int:pk>/edit/", associations.association_edit, name="association_edit"),
    path("associations/<int:pk>/establish/", associations.association_establish, name="association_establish"),
    path("associations/<int:pk>/dissolve/", associations.association_dissolve, name="association_dissolve"),
    path("associations/<int:pk>/members/new/", associations.member_add, name="member_add"),
    path("associations/<int:pk>/members/<int:member_pk>/edit/", associations.member_edit, name="member_edit"),
    path("associations/<int:pk>/members/<int:member_pk>/leave/", associations.member_leave, name="member_leave"),
]
