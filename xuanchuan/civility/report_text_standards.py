"""Report paragraphs of the civility app's standards part (see ``report_text.py``)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "civility.responsible_units",
    line=3,
    order=10,
    text="全区{{ civility.responsible_units }}个单位认真落实“包帮”“包街”工作责任制，"
    "覆盖点位{{ civility.places_covered }}个，每个点位明确责任单位和责任领导，空白点位及时补位。",
)
