"""Staff pages of the publishing app (namespace ``publishing``), one URL module per part:
outlets and columns (``urls_outlets``), publications and the review (``urls_review``), proofreading and its lexicons
(``urls_proofreading``), publishing to external accounts (``urls_external``)."""

from django.urls import include, path

app_name = "publishing"
urlpatterns = [
    path("outlets/", include("xuanchuan.publishing.urls_outlets")),
    path("", include("xuanchuan.publishing.urls_review")),
    path("proofreading/", include("xuanchuan.publishing.urls_proofreading")),
    path("external/", include("xuanchuan.publishing.urls_external")),
]
