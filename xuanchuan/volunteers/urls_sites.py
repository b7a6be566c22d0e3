"""Pages of the volunteers app's sites part: practice sites, brands, teams and their members, a
team's Excel import, and the public phone list of sites (``m/sites/``)."""

from django.urls import path

from xuanchuan.volunteers.views import sites as views

urlpatterns = [
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("brands/", views.BrandListView.as_view(), name="brand_list"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/delete/", views.brand_delete, name="brand_delete"),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/import-template/", views.team_import_template, name="team_import_template"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/dissolve/", views.team_dissolve, name="team_dissolve"),
    path("teams/<int:pk>/members/add/", views.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/import/", views.team_import, name="team_import"),
    path("teams/members/<int:pk>/remove/", views.team_member_remove, name="team_member_remove"),
    path("teams/members/<int:pk>/leader/", views.team_leader_set, name="team_leader_set"),
    path("m/sites/", views.m_site_list, name="m_site_list"),
]
