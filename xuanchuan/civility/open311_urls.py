"""The Open311 GeoReport v2 endpoints (``/open311/v2/``, namespace ``open311``): each resource
answers in JSON or XML by its extension (``services.json``, ``services.xml``)."""

from django.urls import path, register_converter

from xuanchuan.civility.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    """A service code or a request id: anything but a slash, up to the last ``.json``/``.xml``."""

    regex = "[^/]{1,60}?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")
register_converter(CodeConverter, "open311code")

app_name = "open311"
urlpatterns = [
    path("discovery.<open311fmt:fmt>", views.discovery, name="discovery"),
    path("services.<open311fmt:fmt>", views.services, name="services"),
    path("services/<open311code:service_code>.<open311fmt:fmt>", views.service_definition, name="service"),
    path("requests.<open311fmt:fmt>", views.requests, name="requests"),
    path("requests/<open311code:service_request_id>.<open311fmt:fmt>", views.request_detail, name="request"),
]
