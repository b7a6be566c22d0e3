"""The JSON API (``/api/``, OpenAPI document at ``/api/openapi.json``, Swagger UI at ``/api/docs``).

Every endpoint authenticates with the staff session and reads rows only through
``visible_to(request.user)``; another unit's record answers 404 like a missing one. The
document and its Swagger UI need a signed-in account too, and the page loads nothing from
outside the platform (Swagger UI is vendored under ``core/static/vendor``). Lists are paged by
``xuanchuan.api_pagination`` (``NINJA_PAGINATION_CLASS``), with bounded ``limit``/``offset``;
input holding a NUL character is refused with 400 (``NoNulParser``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.parser import Parser
from ninja.security import django_auth

from xuanchuan.org.models import Unit
from xuanchuan.org.scoping import requested_unit
from xuanchuan.reports.registry import FigureError, Period, PeriodError, UnknownFigure, all_figures, get_figure


class PlatformSwagger(Swagger):
    """Swagger UI from the platform's own static files: no CDN, no online validator badge."""

    template = "core/api_docs.html"
    default_settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None}


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class NoNulParser(Parser):
    """JSON bodies and query strings without NUL characters, as Django's form fields refuse them
    (``ProhibitNullCharactersValidator``): PostgreSQL cannot store one in text, so it would
    otherwise end as a server error. Answered 400."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if _holds_nul(data):
            raise HttpError(400, _("输入中含有不允许的空字符（NUL）。"))
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        if any(_holds_nul(key) or _holds_nul(values) for key, values in data.lists()):
            raise HttpError(400, _("输入中含有不允许的空字符（NUL）。"))
        return super().parse_querydict(data, list_fields, request)


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs' decorator: the OpenAPI document answers 401 and its page sends to the login
    page unless the visitor is signed in (and, by the middleware, past the second factor)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": _("请先登录。")}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


api = NinjaAPI(
    title="宣传思想工作平台 API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    description="本单位及下级单位的数据；需先登录（会话认证）。",
    docs=PlatformSwagger(),
    docs_decorator=signed_in_only,
    parser=NoNulParser(),
)


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    unit_type: str
    unit_type_label: str
    code: str
    depth: int
    parent_id: int | None
    established_on: date | None
    dissolved_on: date | None

    @staticmethod
    def resolve_unit_type_label(obj: Unit) -> str:
        return obj.get_unit_type_display()

    @staticmethod
    def resolve_parent_id(obj: Unit) -> int | None:
        return getattr(obj, "parent_id", None)


class MeOut(Schema):
    username: str
    full_name: str
    unit: UnitOut | None
    roles: list[str]
    sees_all_units: bool


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    synonyms: list[str]
    description: str


class FigureValueOut(FigureOut):
    period: str
    unit_id: int | None
    value: float | int | None


def _with_parent_ids(units: list[Unit]) -> list[Unit]:
    paths = {unit.path[: -Unit.steplen] for unit in units if unit.depth > 1}
    # Only the ids of the parents of units the user already sees.
    parents = dict(Unit.objects.filter(path__in=paths).values_list("path", "pk"))  # scoping: allowed
    for unit in units:
        unit.parent_id = parents.get(unit.path[: -Unit.steplen])
    return units


@api.get("/me", response=MeOut, tags=["组织机构"], summary="当前用户")
def me(request: HttpRequest) -> dict:
    user = request.user
    unit = _with_parent_ids([user.unit])[0] if user.unit_id else None
    return {
        "username": user.username,
        "full_name": user.full_name,
        "unit": unit,
        "roles": sorted(user.role_codes),
        "sees_all_units": user.sees_all_units,
    }


@api.get("/units", response=list[UnitOut], tags=["组织机构"], summary="可见的单位")
@paginate
def list_units(request: HttpRequest, q: str = "", unit_type: str = "") -> list[Unit]:
    units = Unit.objects.visible_to(request.user)
    if q:
        units = units.filter(name__icontains=q)
    if unit_type:
        units = units.filter(unit_type=unit_type)
    return units


@api.get("/units/{unit_id}", response=UnitOut, tags=["组织机构"], summary="单位详情")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    return _with_parent_ids([get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)])[0]


@api.get("/figures", response=list[FigureOut], tags=["指标"], summary="指标目录")
def list_figures(request: HttpRequest) -> list[dict]:
    return [
        {
            # A figure with a parameter is asked for as key(argument): /api/figures/culture.holiday_visitors(劳动节)
            "key": f"{f.key}(…)" if f.parameter else f.key,
            "label": f.label + (f"（参数：{f.parameter.label}）" if f.parameter else ""),
            "unit": f.unit,
            "synonyms": list(f.synonyms),
            "description": f.description,
        }
        for f in all_figures(with_parameters=True)
    ]


@api.get("/figures/{key}", response=FigureValueOut, tags=["指标"], summary="指标取值")
def figure_value(request: HttpRequest, key: str, period: str = "", unit: int | None = None) -> dict:
    try:
        item = get_figure(key)
    except UnknownFigure as exc:
        raise HttpError(404, str(exc)) from exc
    except FigureError as exc:  # an argument its parameter does not take
        raise HttpError(422, str(exc)) from exc
    try:
        span = Period.parse(period) if period else Period.year(timezone.localdate().year)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc
    scope = requested_unit(request.user, unit)  # 404 for a unit outside the user's scope
    try:
        value = item.compute(span, scope).value
    except FigureError as exc:  # a figure that takes an argument, asked without one
        raise HttpError(422, str(exc)) from exc
    return {
        "key": item.key,
        "label": item.label,
        "unit": item.unit,
        "synonyms": list(item.synonyms),
        "description": item.description,
        "period": span.key,
        "unit_id": scope.pk if scope else None,
        "value": value,
    }


# Each module's endpoints live in its own api.py.
api.add_router("/outbreak/", "xuanchuan.outbreak.api.router")
api.add_router("/passes/", "xuanchuan.passes.api.router")
api.add_router("/media/", "xuanchuan.media.api.router")
api.add_router("/publishing/", "xuanchuan.publishing.api.router")
api.add_router("/civility/", "xuanchuan.civility.api.router")
api.add_router("/volunteers/", "xuanchuan.volunteers.api.router")
api.add_router("/theory/", "xuanchuan.theory.api.router")
api.add_router("/culture/", "xuanchuan.culture.api.router")
