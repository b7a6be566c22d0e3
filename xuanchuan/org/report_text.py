"""This app's paragraphs of the default report template (see ``xuanchuan.reports.defaults``)."""

from xuanchuan.reports.defaults import OPENING, report_paragraph

report_paragraph(
    "org.overview",
    line=OPENING,
    order=10,
    text="全区{{ org.subdistricts }}个街道（乡镇）、{{ org.grassroots_units }}个社区（村）和"
    "{{ org.agency_units }}个机关单位在平台上统一开展工作，{{ org.platform_users }}名工作人员"
    "在平台上记录、办理和报送各项工作，本报告中的每一个数字都来自平台记录。",
)
