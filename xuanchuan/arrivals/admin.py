"""Configuration only: the export log, read-only. Risk areas are kept on the staff pages,
because a change there must re-classify registrations (``services.save_risk_area``)."""

from django.contrib import admin
from django.http import HttpRequest

from xuanchuan.arrivals.models import ExportLog
from xuanchuan.org.admin import ScopedAdminMixin


@admin.register(ExportLog)
class ExportLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "created_by", "unit", "rows", "unmasked", "query")
    list_filter = ("unmasked",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExportLog | None = None) -> bool:
        return False
