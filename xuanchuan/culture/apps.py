from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "xuanchuan.culture"
    label = "culture"
    verbose_name = _("文化旅游")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.culture import todos
        from xuanchuan.culture.services import contests, venues, works

        self.register_nav()
        register_todos(todos.culture_todos)
        venues.register_retention()
        contests.register_retention()
        works.register_retention()
        self.register_audit()

    @staticmethod
    def register_audit() -> None:
        """Every ``UnitOwned`` model is audited (``org``); here the records that hang from one are
        followed too — members of an association, rounds, contestants, scores and recommendations,
        videos, photos and links of events, and the decisions on submitted works (personal data
        fields are logged as changed, never with their content)."""
        from xuanchuan.core.audit import register_for_audit
        from xuanchuan.culture.models import (
            AssociationMember,
            Contestant,
            EventLink,
            EventPhoto,
            HolidayPeriod,
            ProductVideo,
            Round,
            Score,
            Submission,
        )

        for model in (AssociationMember, Contestant, EventLink, EventPhoto, HolidayPeriod, ProductVideo, Round, Score):
            register_for_audit(model)
        register_for_audit(Submission)

    @staticmethod
    def register_nav() -> None:
        from xuanchuan.core.navigation import NavItem, register_nav
        from xuanchuan.culture.permissions import may_manage_tourism, may_manage_works, may_view

        register_nav(
            NavItem(
                _("文化旅游"),
                "culture:event_list",
                icon="bi-palette",
                order=500,  # 五 (and the associations and venues of 六): docs/architecture.md §6
                allowed=may_view,
                children=(
                    NavItem(_("文化活动"), "culture:event_list"),
                    NavItem(_("活动日历"), "culture:event_calendar"),
                    NavItem(_("系列活动"), "culture:series_list"),
                    NavItem(_("文化场馆"), "culture:venue_list"),
                    NavItem(_("文艺协会"), "culture:association_list"),
                    NavItem(_("比赛与推荐"), "culture:competition_list"),
                    NavItem(_("特产推介"), "culture:campaign_list"),
                    NavItem(_("作品征集"), "culture:call_list", allowed=may_manage_works),
                    NavItem(_("作品审核"), "culture:submission_queue", allowed=may_manage_works),
                    NavItem(_("假日旅游统计"), "culture:tourism_list", allowed=may_manage_tourism),
                    NavItem(_("放假安排"), "culture:holiday_list", allowed=may_manage_tourism),
                    NavItem(_("旅游数据导入"), "culture:tourism_import", allowed=may_manage_tourism),
                ),
            )
        )
