"""Pages of the volunteers app's activities part: staff pages for projects, activities and their
sign-ups; residents' phone pages under ``m/`` (the list and an activity's page are public)."""

from django.urls import path

from xuanchuan.volunteers.views import activities as views
from xuanchuan.volunteers.views import activities_m as phone

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/publish/", views.project_publish, name="project_publish"),
    path("projects/<int:pk>/close/", views.project_close, name="project_close"),
    path("projects/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/open/", views.activity_open, name="activity_open"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("m/activities/", phone.m_activity_list, name="m_activity_list"),
    path("m/activities/<int:pk>/", phone.m_activity_detail, name="m_activity_detail"),
    path("m/activities/<int:pk>/signup/", phone.m_signup, name="m_signup"),
    path("m/activities/<int:pk>/cancel/", phone.m_cancel, name="m_cancel"),
    path("m/signups/", phone.m_my_signups, name="m_my_signups"),
]
