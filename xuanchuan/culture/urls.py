"""Pages of the culture app (namespace ``culture``), one URL module per part: series, events and
the calendar (``urls_events``); venues and arts associations (``urls_venues``); competitions and
local-product campaigns (``urls_contests``); calls for works, their review and the online exhibition
(``urls_works``); holiday tourism (``urls_tourism``). Public phone pages are under ``m/``."""

from django.urls import include, path

app_name = "culture"
urlpatterns = [
    path("", include("xuanchuan.culture.urls_events")),
    path("", include("xuanchuan.culture.urls_venues")),
    path("", include("xuanchuan.culture.urls_contests")),
    path("", include("xuanchuan.culture.urls_works")),
    path("", include("xuanchuan.culture.urls_tourism")),
]
