from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "xuanchuan.volunteers"
    label = "volunteers"
    verbose_name = _("新时代文明实践与志愿服务")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.volunteers import receivers_points, todos  # noqa: F401 (receivers connect on import)
        from xuanchuan.volunteers.services import people

        self.register_nav()
        register_todos(todos.volunteers_todos)
        people.register_retention()
        self.register_audit()

    @staticmethod
    def register_audit() -> None:
        """Every ``UnitOwned`` model is audited (``org``); here the secrets are kept out of the trail
        (an activity's check-in key, a redemption's code) and memberships are followed too. Sign-ups,
        corrections and ledger entries are their own history and not audited twice."""
        from xuanchuan.core.audit import register_for_audit
        from xuanchuan.volunteers.models import Activity, Membership, Redemption

        register_for_audit(Activity, exclude=("checkin_secret",))
        register_for_audit(Redemption, exclude=("code",))
        register_for_audit(Membership)

    @staticmethod
    def register_nav() -> None:
        from xuanchuan.core.navigation import NavItem, register_nav
        from xuanchuan.volunteers.permissions import (
            clerk_desk_only,
            may_approve_hours,
            may_confirm_redemptions,
            may_manage_points,
            may_view,
        )

        register_nav(
            NavItem(
                _("志愿服务"),
                "volunteers:activity_list",
                icon="bi-people",
                order=310,  # 三: docs/architecture.md §6, after 文明创建
                allowed=may_view,
                children=(
                    NavItem(_("志愿服务活动"), "volunteers:activity_list"),
                    NavItem(_("志愿服务项目"), "volunteers:project_list"),
                    NavItem(_("服务记录与时长"), "volunteers:record_list"),
                    NavItem(_("待审核补录时长"), "volunteers:hours_queue", allowed=may_approve_hours),
                    NavItem(_("时长纠错"), "volunteers:dispute_list", allowed=may_approve_hours),
                    NavItem(_("志愿者"), "volunteers:volunteer_list"),
                    NavItem(_("志愿服务队伍"), "volunteers:team_list"),
                    NavItem(_("文明实践阵地"), "volunteers:site_list"),
                    NavItem(_("文明实践品牌"), "volunteers:brand_list"),
                    NavItem(_("好人好事审核"), "volunteers:claim_queue", allowed=may_manage_points),
                    NavItem(_("积分账户"), "volunteers:account_list", allowed=may_manage_points),
                    NavItem(_("积分规则"), "volunteers:rule_list", allowed=may_manage_points),
                    NavItem(_("家庭户"), "volunteers:household_list", allowed=may_manage_points),
                    NavItem(_("兑换点与物品"), "volunteers:merchant_list", allowed=may_manage_points),
                    NavItem(_("积分兑换记录"), "volunteers:redemption_list", allowed=may_manage_points),
                    NavItem(_("积分排行"), "volunteers:ranking", allowed=may_manage_points),
                    NavItem(_("扫码核销兑换"), "volunteers:redemption_lookup", allowed=may_confirm_redemptions),
                ),
            )
        )
        register_nav(
            NavItem(
                _("积分兑换核销"),
                "volunteers:redemption_lookup",
                icon="bi-qr-code-scan",
                order=311,
                allowed=clerk_desk_only,
            )
        )
