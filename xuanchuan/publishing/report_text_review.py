"""Report paragraphs of the publishing app's review part (see ``report_text.py``): section 二's
“累计发表各类稿件×余篇” and section 六's “严格信息发布‘三审制度’”."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "publishing.publications",
    line=2,
    order=31,
    text="充分利用新媒体开展掌上宣传，在{{ district_short }}政务网和各政务新媒体累计发表各类稿件"
    "{{ publishing.publications_published }}篇，同比{{ publishing.publications_published change }}。",
)

report_paragraph(
    "publishing.three_step_review",
    line=6,
    order=20,
    text="严格信息发布“三审制度”，稿件经初审、复审、终审由不同人员逐级把关，把牢信息审核关口，"
    "全年经三审发布稿件{{ publishing.publications_reviewed }}篇，退回修改{{ publishing.publications_returned }}篇，"
    "对不宜继续公开的信息及时下架{{ publishing.publications_taken_down }}篇，确保对外发布的信息准确严谨。",
)
