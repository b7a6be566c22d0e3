"""Staff pages of the points part: rules, claims and their review, accounts and deductions,
households, merchants and goods, redemptions, the clerk's confirmation, and rankings. Thin: reads
through ``visible_to`` and ``queries.points``, writes through ``services.points``; another unit's
record answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.pii import masked
from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, ScopedQuerysetMixin, confirm_page, visible_or_404
from xuanchuan.volunteers.forms.points import (
    DecisionForm,
    DeductForm,
    HouseholdForm,
    MemberForm,
    RankingForm,
    RuleFilterSet,
    RuleForm,
    StaffClaimForm,
    rules_for_staff,
)
from xuanchuan.volunteers.models import (
    GoodDeedClaim,
    Household,
    PointRule,
    PointsAccount,
    Volunteer,
)
from xuanchuan.volunteers.permissions import may_deduct, may_manage_points, may_view
from xuanchuan.volunteers.queries import points as queries
from xuanchuan.volunteers.services import points as services

FORM = "volunteers/points/form.html"


def require_manager(request: HttpRequest) -> None:
    if not may_manage_points(request.user):
        raise PermissionDenied


def _viewer(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def form_page(request: HttpRequest, title: str, form: Any, back: str, **extra: Any) -> HttpResponse:
    context = {"title": title, "form": form, "back": back, **extra}
    return render(request, FORM, context, status=400 if request.method == "POST" else 200)


def _confirm_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return confirm_page(request, status=400 if request.method == "POST" else 200, **context)


class ManagerListView(ScopedListView):
    """A points list page: only for those who keep points (and in their scope)."""

    template_name = "volunteers/points/list.html"
    new_url = ""
    new_label = ""
    link_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_manager(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["new_url"] = reverse(self.new_url) if self.new_url else ""
        context["new_label"] = self.new_label
        context["rows"] = [
            (row, values, reverse(self.link_name, args=[row.pk]) if self.link_name else "")
            for row, values in context["rows"]
        ]
        return context


# ---------------------------------------------------------------- rules


class RulesFromAbove(ScopedQuerysetMixin):
    """The rules a member of staff works with: those of their scope and those of the units above
    their unit, which a community uses too (read only there: editing them answers 404)."""

    def get_queryset(self) -> Any:
        return rules_for_staff(self.request.user, kind=None, active_only=False)


class RuleListView(ManagerListView, RulesFromAbove):
    """积分规则: the catalogue of the user's scope and of the units above it (those only listed)."""

    model = PointRule
    title = gettext_lazy("积分规则")
    filterset_class = RuleFilterSet
    search_fields = ("name",)
    columns = (
        ("name", gettext_lazy("事项")),
        ("get_kind_display", gettext_lazy("类别")),
        ("points", gettext_lazy("分值")),
        ("yearly_cap", gettext_lazy("每年上限")),
        ("unit__name", gettext_lazy("所属单位")),
        ("active", gettext_lazy("启用")),
    )
    export_name = "points-rules"
    new_url = "volunteers:rule_create"
    link_name = "volunteers:rule_edit"
    new_label = gettext_lazy("新增规则")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = set(
            PointRule.objects.visible_to(self.request.user)
            .filter(pk__in=[row.pk for row, _values, _url in context["rows"]])
            .values_list("pk", flat=True)
        )
        context["rows"] = [(row, values, url if row.pk in mine else "") for row, values, url in context["rows"]]
        return context


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    """新增积分规则."""
    require_manager(request)
    form = RuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        if run_service(request, lambda: services.rule_create(by=request.user, unit=unit, **data), _("已保存。")):
            return HttpResponseRedirect(reverse("volunteers:rule_list"))
    return form_page(request, _("新增积分规则"), form, reverse("volunteers:rule_list"))


@login_required
def rule_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改积分规则 (a rule in use is deactivated, not deleted)."""
    require_manager(request)
    rule = visible_or_404(PointRule, request.user, pk)
    form = RuleForm(request.POST or None, instance=rule, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(request, lambda: services.rule_edit(rule, by=request.user, **form.cleaned_data), _("已保存。"))
    ):
        return HttpResponseRedirect(reverse("volunteers:rule_list"))
    delete_url = "" if services.rule_in_use(rule) else reverse("volunteers:rule_delete", args=[rule.pk])
    return form_page(request, _("修改积分规则"), form, reverse("volunteers:rule_list"), delete_url=delete_url)


@login_required
def rule_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    """删除积分规则, after a confirmation page (refused for a rule in use)."""
    require_manager(request)
    rule = visible_or_404(PointRule, request.user, pk)
    back = reverse("volunteers:rule_edit", args=[rule.pk])
    if request.method == "POST" and run_service(
        request, lambda: services.rule_delete(rule, by=request.user) or True, _("已删除。")
    ):
        return HttpResponseRedirect(reverse("volunteers:rule_list"))
    return _confirm_page(
        request,
        title=_("删除积分规则"),
        question=_("确认删除积分规则“%(name)s”？") % {"name": rule.name},
        explain=_("只有从未使用过的规则可以删除。"),
        button=_("确认删除"),
        back=back,
        danger=True,
    )


# ---------------------------------------------------------------- claims


@login_required
def claim_queue(request: HttpRequest) -> HttpResponse:
    """待审核的好人好事申报 in the user's scope (the ones they entered cannot be decided by them)."""
    require_manager(request)
    claims = list(queries.pending_claims(request.user)[:200])
    for claim in claims:
        claim.owner = queries.owner_label(claim.account)
    context = {"title": _("好人好事申报审核"), "claims": claims}
    return render(request, "volunteers/points/claim_queue.html", context)


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    """录入好人好事 for a volunteer or a household (another member of staff approves it)."""
    require_manager(request)
    form = StaffClaimForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = run_service(
            request,
            lambda: services.claim_create(
                by=request.user,
                rule=data["rule"],
                description=data["description"],
                happened_on=data["happened_on"],
                volunteer=data["volunteer"],
                household=data["household"],
            ),
            _("已录入，待其他工作人员审核。"),
        )
        if made is not None:
            return HttpResponseRedirect(reverse("volunteers:claim_queue"))
    return form_page(request, _("录入好人好事"), form, reverse("volunteers:claim_queue"))


def _claim_decision(request: HttpRequest, pk: Any, approve: bool) -> HttpResponse:
    require_manager(request)
    claim = visible_or_404(
        GoodDeedClaim.objects.visible_to(request.user).select_related("rule", "account"), request.user, pk
    )
    form = DecisionForm(request.POST or None, required=not approve)
    back = reverse("volunteers:claim_queue")
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        if approve:
            action = lambda: services.approve_claim(claim, by=request.user, note=note)  # noqa: E731
        else:
            action = lambda: services.refuse_claim(claim, by=request.user, note=note)  # noqa: E731
        if run_service(request, action, _("已审核。")) is not None:
            return HttpResponseRedirect(back)
    verb = _("通过") if approve else _("不予通过")
    return _confirm_page(
        request,
        title=_("审核申报"),
        question=_("确认%(verb)s“%(owner)s”的申报“%(rule)s”（%(points)d分）？")
        % {
            "verb": verb,
            "owner": queries.owner_label(claim.account),
            "rule": claim.rule.name,
            "points": claim.rule.points,
        },
        explain=claim.description,
        button=_("确认%(verb)s") % {"verb": verb},
        back=back,
        form=form,
        danger=not approve,
    )


@login_required
def claim_approve(request: HttpRequest, pk: Any) -> HttpResponse:
    """通过申报: the rule's points are entered (up to its yearly cap)."""
    return _claim_decision(request, pk, approve=True)


@login_required
def claim_refuse(request: HttpRequest, pk: Any) -> HttpResponse:
    """不予通过, with the reason."""
    return _claim_decision(request, pk, approve=False)


# ---------------------------------------------------------------- accounts


class AccountListView(ManagerListView):
    """积分账户 of the user's scope with their balances."""

    model = PointsAccount
    title = gettext_lazy("积分账户")
    columns = (
        ("label", gettext_lazy("账户")),
        ("unit__name", gettext_lazy("所属单位")),
        ("balance", gettext_lazy("积分余额")),
    )
    export_name = "points-accounts"
    link_name = "volunteers:account_detail"

    def base_queryset(self) -> Any:
        return (
            PointsAccount.objects.visible_to(self.request.user)
            .select_related("volunteer", "household", "unit")
            .order_by("unit__path", "pk")
        )

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.label = queries.owner_label(row)
        return super().row_values(row, columns)


@login_required
def account_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """积分明细 of one account (every entry: kind, amount, balance after, reason, by); ``?export=xlsx``."""
    _viewer(request)
    account = visible_or_404(
        PointsAccount.objects.visible_to(request.user).select_related("volunteer", "household", "unit"),
        request.user,
        pk,
    )
    label = queries.owner_label(account)
    if request.GET.get("export") == "xlsx":
        headers = [_("时间"), _("类型"), _("积分变动"), _("变动后余额"), _("到期日"), _("说明"), _("经办人")]
        rows = (
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
                entry.get_kind_display(),
                entry.amount,
                entry.balance_after,
                entry.expires_on or "",
                entry.reason,
                entry.by.full_name if entry.by else "",
            ]
            for entry in queries.entries(account).iterator(chunk_size=2000)
        )
        # The sheet is titled without the masked name: "*" may not stand in a sheet's title.
        return xlsx_response(f"points-account-{account.pk}", _("积分明细"), [str(h) for h in headers], rows)
    context = {
        "title": _("积分明细：%(label)s") % {"label": label},
        "account": account,
        "entries": queries.entries(account)[:500],
        "may_deduct": may_deduct(request.user),
    }
    return render(request, "volunteers/points/account_detail.html", context)


@login_required
def deduct(request: HttpRequest, pk: Any) -> HttpResponse:
    """扣分 for misconduct, with a reason, after the confirmation of what will be taken (the account
    is looked up first: another unit's answers 404 before the role is asked about)."""
    account = visible_or_404(
        PointsAccount.objects.visible_to(request.user).select_related("volunteer", "household", "unit"),
        request.user,
        pk,
    )
    if not may_deduct(request.user):
        raise PermissionDenied
    form = DeductForm(request.POST or None, unit=account.unit)
    back = reverse("volunteers:account_detail", args=[account.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirmed") == "1":
            done = run_service(
                request,
                lambda: services.deduct(
                    account, by=request.user, reason=data["reason"], rule=data["rule"], amount=data["amount"]
                ),
                _("已扣分。"),
            )
            if done is not None:
                return HttpResponseRedirect(back)
        else:
            due = data["rule"].points if data["rule"] else data["amount"]
            return render(
                request,
                "volunteers/points/deduct_confirm.html",
                {
                    "title": _("确认扣分"),
                    "form": form,
                    "label": queries.owner_label(account),
                    "due": due,
                    "taken": min(due, account.balance),
                    "balance": account.balance,
                    "back": back,
                },
            )
    return form_page(request, _("扣分：%(label)s") % {"label": queries.owner_label(account)}, form, back)


# ---------------------------------------------------------------- households


class HouseholdListView(ManagerListView):
    """家庭户 of the user's scope (户主 masked)."""

    model = Household
    title = gettext_lazy("家庭户")
    search_fields = ("number",)
    columns = (
        ("number", gettext_lazy("户号")),
        ("head", gettext_lazy("户主")),
        ("unit__name", gettext_lazy("所在社区（村）")),
    )
    export_name = "households"
    new_url = "volunteers:household_create"
    link_name = "volunteers:household_detail"
    new_label = gettext_lazy("新增家庭户")

    def base_queryset(self) -> Any:
        return Household.objects.visible_to(self.request.user).select_related("unit")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.head = masked(row, "head_name")
        return super().row_values(row, columns)


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    """新增家庭户."""
    require_manager(request)
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = run_service(
            request, lambda: services.household_create(by=request.user, **form.cleaned_data), _("已保存。")
        )
        if made is not None:
            return HttpResponseRedirect(reverse("volunteers:household_detail", args=[made.pk]))
    return form_page(request, _("新增家庭户"), form, reverse("volunteers:household_list"))


def _household(request: HttpRequest, pk: Any) -> Household:
    require_manager(request)
    return visible_or_404(Household.objects.visible_to(request.user).select_related("unit"), request.user, pk)


@login_required
def household_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One household: number, masked head and address, members (add/remove) and its ledger."""
    household = _household(request, pk)
    account = PointsAccount.objects.visible_to(request.user).filter(household=household).first()
    members = Volunteer.objects.visible_to(request.user).filter(household=household).order_by("number")
    for member in members:
        member.masked_name = masked(member, "name")
    context = {
        "title": _("家庭户 %(number)s") % {"number": household.number},
        "household": household,
        "head": masked(household, "head_name"),
        "address": masked(household, "address"),
        "members": members,
        "account": account,
        "entries": queries.entries(account)[:100] if account else [],
        "member_form": MemberForm(household=household),
    }
    return render(request, "volunteers/points/household_detail.html", context)


@login_required
def household_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改家庭户 (the number stays unique in the community)."""
    household = _household(request, pk)
    back = reverse("volunteers:household_detail", args=[household.pk])
    initial = {"number": household.number, "head_name": household.head_name, "address": household.address}
    form = HouseholdForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request, lambda: services.household_edit(household, by=request.user, **form.cleaned_data), _("已保存。")
        )
    ):
        return HttpResponseRedirect(back)
    return form_page(request, _("修改家庭户"), form, back)


@login_required
@require_POST
def household_member_add(request: HttpRequest, pk: Any) -> HttpResponse:
    """加入成员: a volunteer of the same community, by their volunteer number."""
    household = _household(request, pk)
    form = MemberForm(request.POST, household=household)
    if form.is_valid():
        volunteer = form.cleaned_data["volunteer_number"]
        run_service(
            request, lambda: services.household_add_member(household, volunteer, by=request.user), _("已加入。")
        )
    else:
        from django.contrib import messages

        messages.error(request, "；".join(form.errors.get("volunteer_number", [_("请填写志愿者编号。")])))
    return HttpResponseRedirect(reverse("volunteers:household_detail", args=[household.pk]))


@login_required
def household_member_remove(request: HttpRequest, pk: Any, volunteer_pk: Any) -> HttpResponse:
    """移出成员, after a confirmation page."""
    household = _household(request, pk)
    volunteer = visible_or_404(
        Volunteer.objects.visible_to(request.user).filter(household=household), request.user, volunteer_pk
    )
    back = reverse("volunteers:household_detail", args=[household.pk])
    if request.method == "POST" and run_service(
        request, lambda: services.household_remove_member(household, volunteer, by=request.user), _("已移出。")
    ):
        return HttpResponseRedirect(back)
    return _confirm_page(
        request,
        title=_("移出成员"),
        question=_("确认将%(name)s（%(number)s）移出家庭户 %(household)s？")
        % {"name": masked(volunteer, "name"), "number": volunteer.number, "household": household.number},
        explain=_("家庭户的积分留在家庭户账户中。"),
        button=_("确认移出"),
        back=back,
        danger=True,
    )


# ---------------------------------------------------------------- rankings


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """积分排行 of one community for a period (top accounts by points earned)."""
    require_manager(request)
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today}
    form = RankingForm(request.GET or None, initial=initial, user=request.user)
    rows: list[Any] = []
    if request.GET and form.is_valid():
        data = form.cleaned_data
        rows = queries.ranking(data["unit"], data["start"], data["end"])
    return render(request, "volunteers/points/ranking.html", {"title": _("积分排行"), "form": form, "rows": rows})
