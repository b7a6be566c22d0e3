"""A small GeoReport v2 client written from the specification only (not from this platform's
code): it reads the service list, posts a request form-urlencoded, and follows a request by its
id. Used against the live test server in ``test_open311_roundtrip.py``."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree


class Open311Error(Exception):
    """An error answer: the HTTP status and the ``{code, description}`` items."""

    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


@dataclass
class GeoReportClient:
    endpoint: str  # e.g. http://host/open311/v2 (no trailing slash)
    api_key: str = ""
    jurisdiction_id: str = ""
    fmt: str = "json"

    def _url(self, resource: str, query: dict[str, str] | None = None) -> str:
        params = dict(query or {})
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        suffix = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.endpoint}/{resource}.{self.fmt}{suffix}"

    def _parse(self, body: bytes) -> Any:
        if self.fmt == "json":
            return json.loads(body.decode("utf-8"))
        root = ElementTree.fromstring(body)  # noqa: S314 (the test server's answer)
        return [{child.tag: child.text for child in item} for item in root]

    def _call(self, request: urllib.request.Request) -> tuple[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310 (test server)
                return answer.headers.get("Content-Type", ""), self._parse(answer.read())
        except urllib.error.HTTPError as error:
            raise Open311Error(error.code, self._parse(error.read())) from None

    def get(self, resource: str, **query: str) -> Any:
        return self._call(urllib.request.Request(self._url(resource, query)))[1]  # noqa: S310 (http test server)

    def services(self) -> list[dict[str, Any]]:
        return self.get("services")

    def post_request(self, **fields: str) -> list[dict[str, Any]]:
        data = {"api_key": self.api_key, **fields}
        if self.jurisdiction_id:
            data["jurisdiction_id"] = self.jurisdiction_id
        body = urllib.parse.urlencode(data).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (http test server)
            f"{self.endpoint}/requests.{self.fmt}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        return self._call(request)[1]

    def request(self, service_request_id: str) -> dict[str, Any]:
        found = self.get(f"requests/{urllib.parse.quote(service_request_id)}")
        assert isinstance(found, list) and len(found) == 1, found
        return found[0]

    def requests(self, **query: str) -> list[dict[str, Any]]:
        return self.get("requests", **query)
