"""Report paragraphs of the civility app's tickets part (see ``report_text.py``): section 三's
共下发交办单×份，梳理问题×条，督促整改完成×条 (梳理问题 is the problems part's figure)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "civility.tickets",
    line=3,
    order=40,
    text="对照全国文明城市测评体系开展常态化督查，共下发交办单{{ civility.tickets_issued }}份，"
    "梳理问题{{ civility.problems_found }}条，督促整改完成{{ civility.problems_rectified }}条，"
    "复核销号交办单{{ civility.tickets_accepted }}份，其中按期整改{{ civility.tickets_on_time }}份，"
    "按期整改率{{ civility.on_time_rate }}%；复核未通过退回重新整改{{ civility.tickets_reopened }}次，"
    "对逾期未整改的{{ civility.tickets_escalated }}份交办单进行督办。",
)
