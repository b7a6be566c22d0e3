"""Pages of the publishing app's external part (included by ``publishing/urls.py`` at ``external/``)."""

from django.urls import path

from xuanchuan.publishing.views import external as views

urlpatterns = [
    path("posts/", views.OutletPostListView.as_view(), name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/record/", views.post_record, name="post_record"),
    path("posts/<int:pk>/retry/", views.post_retry, name="post_retry"),
    path("posts/<int:pk>/removed/", views.post_removed, name="post_removed"),
    path("wechat/", views.wechat_account_list, name="wechat_account_list"),
    path("wechat/<int:pk>/", views.wechat_account_edit, name="wechat_account_edit"),
    path("wechat/<int:outlet_id>/callback/", views.wechat_callback, name="wechat_callback"),
]
