"""This app's paragraphs of the default report template (see ``xuanchuan.reports.defaults``)."""

from xuanchuan.reports.defaults import report_paragraph

report_paragraph(
    "passes.system",
    line=4,
    order=20,
    text="建成“{{ district }}居民电子通行证系统”，居民在线申请、社区审核、卡口扫码核验，断网时也能离线验证。"
    "全年签发电子通行证{{ passes.issued }}张，撤销{{ passes.revoked }}张；卡口核验{{ passes.verifications }}人次，"
    "居民凭证外出{{ passes.outings }}人次。",
)
