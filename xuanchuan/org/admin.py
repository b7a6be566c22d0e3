"""Configuration of units, roles and people in the admin (daily work has its own pages)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Role, Unit, User
from xuanchuan.org.services import create_unit, move_unit


class ScopedAdminMixin:
    """The admin obeys the same scoping rule as the staff pages."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)


class UnitAdminForm(forms.ModelForm):
    """A unit with its parent chosen among the units the administrator may see."""

    parent = forms.ModelChoiceField(
        label=_("上级单位"), queryset=Unit.objects.none(), required=False, help_text=_("留空表示本区（根单位）")
    )

    class Meta:
        model = Unit
        fields = (
            "parent",
            "name",
            "short_name",
            "unit_type",
            "code",
            "contact_name",
            "address",
            "established_on",
            "dissolved_on",
        )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = Unit.objects.visible_to(user)
        if self.instance.pk:
            choices = choices.exclude(path__startswith=self.instance.path)
            self.initial["parent"] = Unit.objects.get_parent(self.instance)
        self.fields["parent"].queryset = choices

    def clean_parent(self) -> Unit | None:
        parent = self.cleaned_data.get("parent")
        if parent is None and not self.instance.pk and Unit.objects.filter(depth=1).exists():
            raise forms.ValidationError(_("本区已有根单位，请选择上级单位"))
        return parent


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("indented_name", "unit_type", "code", "established_on", "dissolved_on")
    list_filter = ("unit_type",)
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)

    @admin.display(description=_("名称"), ordering="path")
    def indented_name(self, unit: Unit) -> str:
        return "\u3000" * (unit.depth - 1) + unit.name

    def get_form(self, request: HttpRequest, obj: Unit | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ScopedForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return ScopedForm

    def save_model(self, request: HttpRequest, obj: Unit, form: UnitAdminForm, change: bool) -> None:
        parent = form.cleaned_data.get("parent")
        if not change:
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "parent"}
            form.instance = create_unit(parent=parent, **fields)
            obj.pk, obj.path, obj.depth = form.instance.pk, form.instance.path, form.instance.depth
            return
        with transaction.atomic():
            obj.save()
            if parent is not None and Unit.objects.get_parent(obj) != parent:
                move_unit(obj, parent)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sees_all_units", "can_view_personal_data", "description")
    search_fields = ("name", "code")


@admin.register(User)
class PersonAdmin(ScopedAdminMixin, UserAdmin):
    list_display = ("username", "full_name", "unit", "job_title", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "roles", "unit__unit_type")
    search_fields = ("username", "full_name", "unit__name")
    autocomplete_fields = ("unit",)
    filter_horizontal = ("roles", "groups", "user_permissions")
    ordering = ("unit__path", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "unit", "job_title", "email")}),
        (_("角色与权限"), {"fields": ("roles", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined", "deactivated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "unit", "roles", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined", "deactivated_at")
