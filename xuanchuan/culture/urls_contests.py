"""Pages of the culture app, contests part: competitions (rounds, contestants, scores,
recommendation to the next level) and local-product campaigns with their videos."""

from django.urls import path

from xuanchuan.culture.views import contests as views
from xuanchuan.culture.views import contests_campaigns as campaigns

urlpatterns = [
    path("competitions/", views.CompetitionListView.as_view(), name="competition_list"),
    path("competitions/new/", views.competition_create, name="competition_create"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition_detail"),
    path("competitions/<int:pk>/edit/", views.competition_edit, name="competition_edit"),
    path("competitions/<int:pk>/rounds/new/", views.round_add, name="round_add"),
    path("competitions/<int:pk>/rounds/<int:round_pk>/edit/", views.round_edit, name="round_edit"),
    path("competitions/<int:pk>/rounds/<int:round_pk>/scores/", views.scores_edit, name="scores_edit"),
    path("competitions/<int:pk>/contestants/new/", views.contestant_add, name="contestant_add"),
    path("competitions/<int:pk>/contestants/<int:contestant_pk>/edit/", views.contestant_edit, name="contestant_edit"),
    path(
        "competitions/<int:pk>/contestants/<int:contestant_pk>/delete/",
        views.contestant_delete,
        name="contestant_delete",
    ),
    path(
        "competitions/<int:pk>/contestants/<int:contestant_pk>/recommend/",
        views.contestant_recommend,
        name="contestant_recommend",
    ),
    path(
        "competitions/<int:pk>/contestants/<int:contestant_pk>/unrecommend/",
        views.contestant_unrecommend,
        name="contestant_unrecommend",
    ),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/videos/new/", campaigns.video_add, name="video_add"),
    path("campaigns/<int:pk>/videos/<int:video_pk>/edit/", campaigns.video_edit, name="video_edit"),
    path("campaigns/<int:pk>/videos/<int:video_pk>/reach/", campaigns.video_reach, name="video_reach"),
    path("campaigns/<int:pk>/videos/<int:video_pk>/delete/", campaigns.video_delete, name="video_delete"),
]
