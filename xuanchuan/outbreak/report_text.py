"""This app's paragraphs of the default report template (see ``xuanchuan.reports.defaults``)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "outbreak.system",
    line=4,
    order=30,
    text="建成“{{ district }}疫情上报管理系统”，各社区和单位每日在线填报，已有数据自动预填，逾期自动提醒。"
    "全年应报疫情日报{{ outbreak.reports_expected }}份，实报{{ outbreak.reports_submitted }}份，"
    "上报率{{ outbreak.reporting_rate }}%；其中按时上报{{ outbreak.reports_on_time }}份，"
    "按时上报率{{ outbreak.on_time_rate }}%，迟报{{ outbreak.reports_late }}份。",
)
