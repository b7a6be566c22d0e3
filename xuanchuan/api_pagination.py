"""The API's one pagination (``NINJA_PAGINATION_CLASS``): ``limit``/``offset`` with upper bounds.

django-ninja's ``LimitOffsetPagination`` leaves both unbounded above, so its OpenAPI document
allowed any integer and a value beyond 64 bits reached the database (SQLite: OverflowError,
PostgreSQL: out of range) as a 500. Here the document states the bounds and a value outside
them is answered 422 with the reason, like any other invalid input.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Rows one page may hold, and the furthest row a page may start at (far beyond any table here).
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` (1–500, default 100) and ``?offset=`` (0–1,000,000,000)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页条数（1–500）")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="从第几条开始（0 起）")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
