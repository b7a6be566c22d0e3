"""Pages of the civility app's problems part (included by ``civility/urls.py`` at ``problems/``)."""

from django.urls import path

from xuanchuan.civility.views import problems as views

urlpatterns = [
    path("", views.ProblemListView.as_view(), name="problem_list"),
    path("new/", views.problem_new, name="problem_new"),
    path("<int:pk>/", views.problem_detail, name="problem_detail"),
    path("<int:pk>/verify/", views.problem_verify, name="problem_verify"),
    path("<int:pk>/reject/", views.problem_reject, name="problem_reject"),
    path("<int:pk>/merge/<int:target>/", views.problem_merge, name="problem_merge"),
    path("photos/<int:pk>/", views.problem_photo, name="problem_photo"),
]
