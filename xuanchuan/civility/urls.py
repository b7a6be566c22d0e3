"""Staff pages of the civility app (namespace ``civility``), one URL module per part: the standard,
places and responsibilities (``urls_standards``), problems (``urls_problems``), tickets and
statistics (``urls_tickets``), Open311 clients (``urls_open311``; the GeoReport v2 endpoints
themselves are at ``/open311/v2/``, ``open311_urls.py``)."""

from django.urls import include, path

app_name = "civility"
urlpatterns = [
    path("", include("xuanchuan.civility.urls_tickets")),
    path("standards/", include("xuanchuan.civility.urls_standards")),
    path("problems/", include("xuanchuan.civility.urls_problems")),
    path("open311/", include("xuanchuan.civility.urls_open311")),
]
