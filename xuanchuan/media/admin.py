"""Configuration only: campaigns and accounts may be corrected here; the records themselves have
their own pages, and imported data is read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from xuanchuan.media.models import Account, Campaign, ImportLog
from xuanchuan.org.admin import ScopedAdminMixin


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "unit", "starts_on", "ends_on")
    search_fields = ("name",)


@admin.register(Account)
class AccountAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "platform", "unit")
    list_filter = ("platform",)
    search_fields = ("name",)


@admin.register(ImportLog)
class ImportLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "account", "kind", "file_name", "rows_added", "rows_updated", "rows_unchanged")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
