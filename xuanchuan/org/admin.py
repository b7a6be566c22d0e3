"""Configuration of units, roles and people in the admin (daily work has its own pages)."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Role, Unit, User
from xuanchuan.org.services import create_unit, move_unit


class ScopedAdminMixin:
    """The admin obeys the same scoping rule as the staff pages: the rows listed, and the units
    a foreign key (or many-to-many field) to ``Unit`` may be set to."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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


# What a role may do: only a superuser changes it, so that nobody widens a role they hold.
ROLE_GRANTS = ("code", "sees_all_units", "can_view_personal_data", "permissions")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles: names and descriptions for administrators; what a role grants for superusers only."""

    list_display = ("name", "code", "sees_all_units", "can_view_personal_data", "description")
    search_fields = ("name", "code")
    filter_horizontal = ("permissions",)

    def get_readonly_fields(self, request: HttpRequest, obj: Role | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else (*readonly, *ROLE_GRANTS)


# Fields of a person that grant rights beyond the roles: for superusers only.
SUPERUSER_FIELDS = ("is_superuser", "groups", "user_permissions")


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
    actions = ("unlock_logins",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """Superusers are out of reach of everyone else (their password, their account)."""
        people = super().get_queryset(request)
        return people if request.user.is_superuser else people.filter(is_superuser=False)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        """Without the superuser fields for everyone else; the form is built from these fields."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in SUPERUSER_FIELDS)})
            for name, options in fieldsets
        ]

    @admin.action(description=_("解除所选人员的登录锁定"), permissions=("unlock",))
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Clear the failed sign-ins (django-axes) of the chosen people, from every address."""
        usernames = list(queryset.values_list("username", flat=True))
        cleared = sum(reset(username=username) for username in usernames)
        self.message_user(
            request,
            _("已解除 %(people)s 人的登录锁定（清除失败记录 %(rows)s 条）。")
            % {"people": len(usernames), "rows": cleared},
            messages.SUCCESS,
        )

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("axes.delete_accessattempt")
