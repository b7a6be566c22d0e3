"""JSON and XML rendering of GeoReport v2 answers, following the "Spark convention": JSON mirrors
the XML, a list is a bare top-level array, and in XML each list element gets the singular child
name (``service_requests`` → ``request``). Content types exactly as the specification names them."""

from __future__ import annotations

import datetime
from typing import Any
from xml.etree import ElementTree

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = {"json": JSON_TYPE, "xml": XML_TYPE}
# The MIME types a discovery document lists for each format.
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}

# Each list's XML element and the name of its children.
CHILDREN = {
    "service_requests": "request",
    "services": "service",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


def w3c(moment: datetime.datetime | None) -> str | None:
    """A W3C-DTF time in China's offset without fractions: ``2024-05-01T09:30:00+08:00``."""
    if moment is None:
        return None
    china = datetime.timezone(datetime.timedelta(hours=8))
    return moment.astimezone(china).replace(microsecond=0).isoformat()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ElementTree.Element, name: str, value: Any) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        child = CHILDREN.get(name, "item")
        for item in value:
            _append(element, child, item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """``data`` (a list, or a dict for one object) as an XML document with the element ``root``."""
    element = ElementTree.Element(root)
    if isinstance(data, list):
        child = CHILDREN[root]
        for item in data:
            _append(element, child, item)
    else:
        for key, value in data.items():
            _append(element, key, value)
    body = ElementTree.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """The answer in ``fmt`` (``json`` or ``xml``); ``root`` names the XML root element."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        import json

        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, JSON_TYPE))


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """An error answer: an array of ``{code, description}`` (XML ``<errors><error>…``)."""
    items = [{"code": status, "description": str(text)} for text in descriptions]
    return render(fmt, "errors", items, status=status)
