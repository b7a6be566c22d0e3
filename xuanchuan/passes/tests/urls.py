"""The project's URLs with the pass API mounted at /api/passes/, for this app's tests.

The project mounts ``passes.api.router`` in ``xuanchuan/api.py``; until it does, these tests
mount it on an API of their own under the same ``api`` namespace (ninja routers are templates
and can be mounted more than once).
"""

from django.urls import NoReverseMatch, path, reverse
from ninja import NinjaAPI
from ninja.security import django_auth

from xuanchuan import urls as project
from xuanchuan.passes.api import router


def _mounted() -> bool:
    try:
        reverse("api:passes_key_set", urlconf=project)
    except NoReverseMatch:
        return False
    return True


if _mounted():
    urlpatterns = project.urlpatterns
else:
    api = NinjaAPI(title="passes (tests)", urls_namespace="api", auth=django_auth)
    api.add_router("/passes/", router)
    urlpatterns = [entry for entry in project.urlpatterns if str(entry.pattern) != "api/"]
    urlpatterns.append(path("api/", api.urls))
