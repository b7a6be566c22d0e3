"""Report paragraphs of the civility app's problems part (see ``report_text.py``). 梳理问题×条
itself is in the tickets part's sentence (共下发交办单×份，梳理问题×条，督促整改完成×条)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "civility.problems",
    line=3,
    order=45,
    text="畅通群众监督渠道，受理群众经“随手拍”、热线等渠道反映的城市管理问题{{ civility.citizen_reports }}条，"
    "由督查员逐条核实后纳入交办。",
)
