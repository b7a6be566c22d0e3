"""The app configuration: navigation, the home page's to-dos, retention of personal data and the
keyed indexes that key rotation recomputes."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def retention_days() -> int:
    """Days personal data is kept after a follow-up ends (``ARRIVALS_RETENTION_DAYS``)."""
    return settings.ARRIVALS_RETENTION_DAYS


class ArrivalsConfig(AppConfig):
    """来返人员自助登记; registers its pages and rules once Django is ready."""

    name = "xuanchuan.arrivals"
    label = "arrivals"
    verbose_name = _("来返人员自助登记")

    def ready(self) -> None:
        from xuanchuan.arrivals import signals, todos
        from xuanchuan.arrivals.permissions import may_follow_up, may_manage_risk_areas
        from xuanchuan.core.navigation import NavItem, register_nav, register_todos

        register_nav(
            NavItem(
                _("来返人员"),
                "arrivals:daily_list",
                icon="bi-person-walking",
                order=430,  # 四: docs/architecture.md §6
                children=(
                    NavItem(_("每日跟踪"), "arrivals:daily_list"),
                    NavItem(_("登记列表"), "arrivals:registration_list"),
                    NavItem(_("批量录入"), "arrivals:registration_grid", allowed=may_follow_up),
                    NavItem(_("疑似重复"), "arrivals:duplicate_list"),
                    NavItem(_("待审核更正"), "arrivals:correction_list", allowed=may_follow_up),
                    NavItem(_("风险地区"), "arrivals:riskarea_list", allowed=may_manage_risk_areas),
                    NavItem(_("统计"), "arrivals:statistics"),
                ),
            )
        )
        register_todos(todos.follow_up_todos)
        signals.connect()
        self.register_retention()
        self.register_keyed_indexes()

    @staticmethod
    def register_keyed_indexes() -> None:
        from xuanchuan.arrivals.models import Registration
        from xuanchuan.arrivals.services import recomputed_day_key, recomputed_dedupe_key
        from xuanchuan.core.pii.reindex import register_keyed_index

        # Both keys are keyed with the data key: a rotation recomputes them with the blind indexes.
        sources = ("id_number", "arrival_date", "phone")
        register_keyed_index(Registration, "dedupe_key", recomputed_dedupe_key, sources=sources)
        register_keyed_index(Registration, "day_key", recomputed_day_key, sources=sources)

    @staticmethod
    def register_retention() -> None:
        from django.db.models import Q

        from xuanchuan.arrivals.models import CheckIn, ExportLog, FollowUpStatus, PendingCorrection, Registration
        from xuanchuan.core.pii import register_retention

        personal = (
            "name", "id_number", "phone", "address", "health_status", "symptoms", "trip_number",
            "travel_notes", "via_codes", "risk_reason",
        )  # fmt: skip
        # After a follow-up ends, the person's data goes N days later; the row stays for the figures.
        register_retention(
            Registration, days=retention_days, date_field="completed_on", action="erase", fields=personal,
            filter=Q(follow_up_status=FollowUpStatus.COMPLETED), label="来返人员登记（跟踪已解除）",
        )  # fmt: skip
        # Nobody followed up (or merged into another record): N days after arrival.
        register_retention(
            Registration, days=retention_days, date_field="arrival_date", action="erase", fields=personal,
            filter=Q(follow_up_status__in=[FollowUpStatus.NOT_REQUIRED, FollowUpStatus.MERGED]),
            label="来返人员登记（无需跟踪）",
        )  # fmt: skip
        # A check-in lives at most as long as the longest follow-up plus the period.
        register_retention(
            CheckIn, days=lambda: retention_days() + 14, date_field="day", action="erase",
            fields=("temperature", "symptoms"), label="来返人员健康打卡",
        )  # fmt: skip
        # A held correction (a route and a date) and the export log (filters, searched text masked).
        register_retention(
            PendingCorrection, days=lambda: retention_days() + 14, date_field="created_at", action="delete",
            label="来返人员登记更正",
        )  # fmt: skip
        register_retention(
            ExportLog, days=lambda: settings.XUANCHUAN_PII_ACCESS_LOG_DAYS, date_field="created_at",
            action="delete", label="来返人员导出记录",
        )  # fmt: skip
