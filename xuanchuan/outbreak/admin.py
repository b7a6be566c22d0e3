"""Configuration of the daily report in the admin: the form, its indicators and required units.
Filing, correcting, reopening and approving have their own pages; their records are read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from xuanchuan.org.admin import ScopedAdminMixin
from xuanchuan.outbreak.models import (
    DayApproval,
    EntryReopening,
    Indicator,
    ReportForm,
    SmsMessage,
    ValueCorrection,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 1
    fields = ("position", "name", "measure_unit", "figure_key")


@admin.register(ReportForm)
class ReportFormAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "unit", "deadline", "lock_time", "reminder_minutes", "starts_on", "ends_on", "is_active")
    list_filter = ("is_active",)
    filter_horizontal = ("required_units",)
    fields = (
        "name", "unit", "required_units", "deadline", "lock_time", "reminder_minutes", "starts_on", "ends_on",
        "is_active",
    )  # fmt: skip
    inlines = (IndicatorInline,)

    def save_model(self, request: HttpRequest, obj: ReportForm, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Records written by the services: visible for checking, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ValueCorrection)
class ValueCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("report", "indicator", "old_value", "new_value", "reason", "created_by", "created_at")


@admin.register(EntryReopening)
class EntryReopeningAdmin(ReadOnlyAdmin):
    list_display = ("unit", "form", "day", "reason", "created_by", "created_at", "used_at")


@admin.register(DayApproval)
class DayApprovalAdmin(ReadOnlyAdmin):
    list_display = ("form", "day", "note", "created_by", "created_at")


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "unit", "recipient", "masked_mobile", "text", "status", "backend")
    list_filter = ("status",)
