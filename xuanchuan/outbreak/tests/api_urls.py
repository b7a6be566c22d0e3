"""The platform's URLs plus this app's router on an API of its own, so the router is tested
before (and independently of) its mounting at ``/api/outbreak/``."""

from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from xuanchuan.outbreak.api import router
from xuanchuan.urls import urlpatterns as platform_urlpatterns

test_api = NinjaAPI(title="outbreak test", auth=django_auth, urls_namespace="outbreak_api_test")
test_api.add_router("/outbreak/", router)

urlpatterns = [*platform_urlpatterns, path("test-api/", test_api.urls)]
