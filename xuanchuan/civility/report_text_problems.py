"""Report paragraphs of the civility app's problems part (see ``report_text.py``). 梳理问题×条
itself is in the tickets part's sentence (共下发交办单×份，梳理问题×条，督促整改完成×条)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "civility.problems",
    line=3,
    order=45,
    text="督查员用手机随时记录发现的问题，共梳理问题{{ civility.problems_found }}条；"
    "畅通群众监督渠道，受理群众经“随手拍”等渠道反映的问题{{ civility.citizen_reports }}条，逐条核实后纳入交办。",
)
