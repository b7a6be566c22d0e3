from django.urls import path

from xuanchuan.reports import views

urlpatterns = [
    path("figures/", views.figure_list, name="figure_list"),
    path("figures/<str:key>/", views.figure_detail, name="figure_detail"),
]
