from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "xuanchuan.media"
    label = "media"
    verbose_name = _("新闻宣传")

    def ready(self) -> None:
        from xuanchuan.core.navigation import NavItem, register_nav, register_todos
        from xuanchuan.media.permissions import may_view
        from xuanchuan.media.todos import media_todos

        register_nav(
            NavItem(
                _("新闻宣传"),
                "media:article_list",
                icon="bi-newspaper",
                order=200,  # 二: docs/architecture.md §6
                allowed=may_view,
                children=(
                    NavItem(_("稿件见报"), "media:article_list"),
                    NavItem(_("广播电视栏目"), "media:programme_list"),
                    NavItem(_("新媒体数据"), "media:account_list"),
                    NavItem(_("宣传活动"), "media:campaign_list"),
                ),
            )
        )
        register_todos(media_todos)
        self.register_audit()

    @staticmethod
    def register_audit() -> None:
        from auditlog.registry import auditlog

        from xuanchuan.media.models import FollowerDay, Post

        # Posts and follower days come from the platforms' exports, many rows at a time; the
        # import log (who, when, which file, what changed) is their record.
        for model in (Post, FollowerDay):
            if auditlog.contains(model):
                auditlog.unregister(model)
