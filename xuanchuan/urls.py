from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from xuanchuan.api import api

admin.site.site_header = _("宣传思想工作平台 · 系统配置")
admin.site.site_title = _("宣传思想工作平台")
admin.site.index_title = _("系统配置")

urlpatterns = [
    path("", include(("xuanchuan.core.urls", "core"))),
    path("accounts/", include(("xuanchuan.accounts.urls", "accounts"))),
    path("org/", include(("xuanchuan.org.urls", "org"))),
    path("reports/", include(("xuanchuan.reports.urls", "reports"))),
    path("arrivals/", include(("xuanchuan.arrivals.urls", "arrivals"))),
    path("passes/", include(("xuanchuan.passes.urls", "passes"))),
    path("outbreak/", include(("xuanchuan.outbreak.urls", "outbreak"))),
    path("media/", include(("xuanchuan.media.urls", "media"))),
    path("publishing/", include(("xuanchuan.publishing.urls", "publishing"))),
    path("news/", include(("xuanchuan.publishing.site_urls", "news"))),
    path("civility/", include(("xuanchuan.civility.urls", "civility"))),
    path("open311/v2/", include(("xuanchuan.civility.open311_urls", "open311"))),
    path("volunteers/", include(("xuanchuan.volunteers.urls", "volunteers"))),
    path("theory/", include(("xuanchuan.theory.urls", "theory"))),
    path("culture/", include(("xuanchuan.culture.urls", "culture"))),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
