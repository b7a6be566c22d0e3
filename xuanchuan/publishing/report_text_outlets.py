"""Report paragraphs of the publishing app's outlets part (see ``report_text.py``): section 六's
register of websites and new-media accounts, and section 二's topic columns."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "publishing.outlets",
    line=6,
    order=10,
    text="按照“谁开办、谁主管，谁应用、谁负责”的原则，增强网站及政务新媒体的运行管理，"
    "全区登记网站和政务新媒体{{ publishing.outlets_registered }}个，其中政务新媒体账号"
    "{{ publishing.newmedia_accounts }}个，逐一明确主管单位和负责人，定期检查更新情况，"
    "对期末仍长期未更新的{{ publishing.stale_outlets }}个网站和政务新媒体督促整改或关停。",
)

report_paragraph(
    "publishing.topic_columns",
    line=2,
    order=30,
    text="统筹网上网下平台，在{{ district_short }}政务网、“{{ district_short }}宣传”等新媒体围绕中心工作"
    "新开设“新时代文明实践”等专题专栏{{ publishing.topic_columns_opened }}个。",
)
