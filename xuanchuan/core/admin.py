"""The personal-data logs in the admin: read-only, for inspection only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.models import PersonalDataAccess, RetentionPurge


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes log rows through the admin, superusers included."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """Who unmasked which personal data, when, from where and why."""

    list_display = (
        "accessed_at",
        "username",
        "content_type",
        "object_id",
        "field_label",
        "reason",
        "ip_address",
    )
    list_filter = ("accessed_at", "content_type", "field")
    search_fields = ("username", "object_id", "field", "reason", "ip_address")
    date_hierarchy = "accessed_at"
    list_select_related = ("content_type",)
    readonly_fields = (
        "user",
        "username",
        "accessed_at",
        "content_type",
        "object_id",
        "field",
        "reason",
        "ip_address",
        "user_agent",
    )

    @admin.display(description=_("字段"), ordering="field")
    def field_label(self, obj: PersonalDataAccess) -> str:
        return obj.field_verbose_name


@admin.register(RetentionPurge)
class RetentionPurgeAdmin(ReadOnlyAdmin):
    """Each run of each retention rule."""

    list_display = ("ran_at", "label", "model_label", "action", "count", "dry_run", "cutoff", "has_error")
    list_filter = ("action", "dry_run", "label", "ran_at")
    search_fields = ("label", "model_label", "error")
    date_hierarchy = "ran_at"
    readonly_fields = ("label", "model_label", "action", "cutoff", "count", "dry_run", "error", "ran_at")

    @admin.display(description=_("出错"), boolean=True)
    def has_error(self, obj: RetentionPurge) -> bool:
        return bool(obj.error)
