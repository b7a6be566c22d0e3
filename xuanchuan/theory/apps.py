from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TheoryConfig(AppConfig):
    name = "xuanchuan.theory"
    label = "theory"
    verbose_name = _("理论学习与宣讲")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.theory import todos
        from xuanchuan.theory.services import lectures

        self.register_nav()
        register_todos(todos.theory_todos)
        lectures.register_retention()
        self.register_audit()

    @staticmethod
    def register_audit() -> None:
        """Every ``UnitOwned`` model is audited (``org``); here a session's attendance key is kept out
        of the trail and memberships, leave and classroom questions (decisions of staff) are
        followed too. Plays and viewers' progress are counters, not decisions, and are not audited."""
        from xuanchuan.core.audit import register_for_audit
        from xuanchuan.theory.models import Leave, Question, StudyMember, StudySession

        register_for_audit(StudySession, exclude=("checkin_secret",))
        register_for_audit(StudyMember)
        register_for_audit(Leave)
        register_for_audit(Question)

    @staticmethod
    def register_nav() -> None:
        from xuanchuan.core.navigation import NavItem, register_nav
        from xuanchuan.theory.permissions import (
            may_manage_classroom,
            may_manage_lectures,
            may_manage_study,
            may_view,
        )

        register_nav(
            NavItem(
                _("理论学习与宣讲"),
                "theory:session_list",
                icon="bi-book",
                order=100,  # 一: docs/architecture.md §6
                allowed=may_view,
                children=(
                    NavItem(_("我的学习"), "theory:my_study"),
                    NavItem(_("中心组学习会议"), "theory:session_list"),
                    NavItem(_("学习计划"), "theory:plan_list"),
                    NavItem(_("理论学习中心组"), "theory:group_list"),
                    NavItem(_("请假与补学"), "theory:leave_queue", allowed=may_manage_study),
                    NavItem(_("宣讲活动"), "theory:lecture_list"),
                    NavItem(_("宣讲日历"), "theory:lecture_calendar"),
                    NavItem(_("宣讲队伍"), "theory:team_list"),
                    NavItem(_("宣讲员"), "theory:lecturer_list"),
                    NavItem(_("群众点单"), "theory:request_list", allowed=may_manage_lectures),
                    NavItem(_("云课堂课程"), "theory:item_list"),
                    NavItem(_("上传课程"), "theory:item_upload", allowed=may_manage_classroom),
                    NavItem(_("课程类别"), "theory:category_list", allowed=may_manage_classroom),
                    NavItem(_("群众提问"), "theory:question_queue", allowed=may_manage_classroom),
                ),
            )
        )
