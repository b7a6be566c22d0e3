from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "xuanchuan.publishing"
    label = "publishing"
    verbose_name = _("信息发布")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.publishing import proofreading, receivers, todos

        self.register_nav()
        register_todos(todos.publishing_todos)
        receivers.connect()
        proofreading.register_audit()

    @staticmethod
    def register_nav() -> None:
        from xuanchuan.core.navigation import NavItem, register_nav
        from xuanchuan.publishing.permissions import (
            may_configure_wechat,
            may_edit_lexicons,
            may_handle_posts,
            may_review,
            may_take_down,
            may_write,
        )

        def works_on_publications(user) -> bool:
            return may_write(user) or may_review(user) or may_take_down(user)

        register_nav(
            NavItem(
                _("信息发布"),
                "publishing:publication_list",
                icon="bi-file-earmark-text",
                order=210,  # 二: docs/architecture.md §6
                children=(
                    NavItem(_("稿件"), "publishing:publication_list", allowed=works_on_publications),
                    NavItem(_("审核待办"), "publishing:review_queue", allowed=may_review),
                    NavItem(_("审核消息"), "publishing:notice_list", allowed=works_on_publications),
                    NavItem(_("发布记录"), "publishing:post_list", allowed=may_handle_posts),
                    NavItem(_("文字校对"), "publishing:proofread"),
                    NavItem(_("校对词库"), "publishing:lexicon_list"),
                    NavItem(_("校对白名单"), "publishing:allowed_list", allowed=may_edit_lexicons),
                    NavItem(_("领导姓名职务"), "publishing:name_list", allowed=may_edit_lexicons),
                ),
            )
        )
        register_nav(
            NavItem(
                _("阵地管理"),
                "publishing:outlet_list",
                icon="bi-broadcast",
                order=600,  # 六: docs/architecture.md §6
                children=(
                    NavItem(_("网站和政务新媒体"), "publishing:outlet_list"),
                    NavItem(_("公众号自动发布设置"), "publishing:wechat_account_list", allowed=may_configure_wechat),
                ),
            )
        )
