"""Pages of the culture app: series, events (photos, video links), the calendar."""

from django.urls import path

from xuanchuan.culture.views import events as views
from xuanchuan.culture.views import events_series as series

urlpatterns = [
    path("series/", series.SeriesListView.as_view(), name="series_list"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/<int:pk>/", series.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", series.series_edit, name="series_edit"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/calendar/", views.event_calendar, name="event_calendar"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/held/", views.event_held, name="event_held"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("events/<int:pk>/photos/new/", views.event_photo_add, name="event_photo_add"),
    path("events/<int:pk>/photos/<int:photo_pk>/", views.event_photo, name="event_photo"),
    path("events/<int:pk>/photos/<int:photo_pk>/delete/", views.event_photo_delete, name="event_photo_delete"),
    path("events/<int:pk>/links/new/", views.event_link_add, name="event_link_add"),
    path("events/<int:pk>/links/<int:link_pk>/delete/", views.event_link_delete, name="event_link_delete"),
]
