"""Pages of the outreach records (mounted at /media/, namespace ``media``): thin views over
``services`` (writes) and ``queries`` (reads), every record read through ``visible_to``."""

from xuanchuan.media.views.campaigns import (
    CampaignListView,
    MaterialListView,
    campaign_create,
    campaign_detail,
    material_create,
    material_delete,
    material_photo,
)
from xuanchuan.media.views.coverage import (
    ArticleListView,
    ProgrammeDetailView,
    ProgrammeListView,
    article_clipping,
    article_delete,
    article_detail,
    article_edit,
    episode_create,
    episode_delete,
    programme_create,
)
from xuanchuan.media.views.newmedia import (
    ImportLogListView,
    PostListView,
    account_create,
    account_detail,
    account_list,
    post_import,
)

__all__ = [
    "ArticleListView",
    "CampaignListView",
    "ImportLogListView",
    "MaterialListView",
    "PostListView",
    "ProgrammeDetailView",
    "ProgrammeListView",
    "account_create",
    "account_detail",
    "account_list",
    "article_clipping",
    "article_delete",
    "article_detail",
    "article_edit",
    "campaign_create",
    "campaign_detail",
    "episode_create",
    "episode_delete",
    "material_create",
    "material_delete",
    "material_photo",
    "post_import",
    "programme_create",
]
