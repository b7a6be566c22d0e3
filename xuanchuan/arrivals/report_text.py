"""This app's paragraphs of the default report template (see ``xuanchuan.reports.defaults``)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "arrivals.system",
    line=4,
    order=10,
    text="建成“{{ district }}来返人员自助登记系统”，来返人员用手机扫码即可自助登记，系统按来源地和途经地"
    "自动研判风险、分派到目的地社区。全年登记来返人员{{ arrivals.registrations }}人，"
    "同比{{ arrivals.registrations change }}，其中来自或途经中高风险地区的{{ arrivals.high_risk_registrations }}人；"
    "社区对登记人员开展健康跟踪，完成跟踪{{ arrivals.follow_ups_completed }}人，落实居家隔离观察"
    "{{ arrivals.home_observations }}人，期末仍在跟踪{{ arrivals.under_follow_up }}人。",
)
