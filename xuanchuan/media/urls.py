"""Pages of the outreach records, mounted at /media/ under the namespace ``media``."""

from django.urls import path

from xuanchuan.media import views

app_name = "media"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article_list"),
    path("articles/new/", views.article_edit, name="article_create"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/delete/", views.article_delete, name="article_delete"),
    path("articles/<int:pk>/clipping/", views.article_clipping, name="article_clipping"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/episodes/new/", views.episode_create, name="episode_create"),
    path("episodes/<int:pk>/delete/", views.episode_delete, name="episode_delete"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("posts/", views.PostListView.as_view(), name="post_list"),
    path("posts/import/", views.post_import, name="post_import"),
    path("imports/", views.ImportLogListView.as_view(), name="import_list"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/material/new/", views.material_create, name="material_create"),
    path("material/", views.MaterialListView.as_view(), name="material_list"),
    path("material/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("material/<int:pk>/photo/", views.material_photo, name="material_photo"),
]
