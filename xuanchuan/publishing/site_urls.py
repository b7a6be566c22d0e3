"""The district news site, served to the public under ``/news/`` (namespace ``news``)."""

from django.urls import path

from xuanchuan.publishing.site import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.home, name="home"),
    path("column/<slug:slug>/", views.column, name="column"),
    path("article/<int:pk>/", views.article, name="article"),
    path("search/", views.search, name="search"),
    path("rss/", feeds.site_feed, name="feed"),
    path("column/<slug:slug>/rss/", feeds.column_feed, name="column_feed"),
    path("file/<int:pk>/", views.attachment, name="attachment"),
    path("mode/", views.mode, name="mode"),
]
