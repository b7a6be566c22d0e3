"""The diff of two versions reads by Chinese characters and words, not by line."""

from xuanchuan.publishing.diff import changes, counts, diff_html


def test_one_changed_word_in_a_long_chinese_line_is_marked_alone():
    old = "区委宣传部组织开展新时代文明实践活动，参与群众达三千余人。"
    new = "区委宣传部组织开展新时代文明实践志愿服务活动，参与群众达三千余人。"
    html = diff_html(old, new)
    assert html == "区委宣传部组织开展新时代文明实践<ins>志愿服务</ins>活动，参与群众达三千余人。"
    assert counts(old, new) == (4, 0)


def test_a_replaced_phrase_is_one_deletion_and_one_insertion():
    old = "全年发布稿件1200余篇。"
    new = "全年发布稿件1350余篇。"
    found = changes(old, new)
    assert [(c.kind, c.text) for c in found if c.kind != "equal"] == [("delete", "1200"), ("insert", "1350")]


def test_a_deletion_and_line_breaks():
    old = "第一段。\n第二段有错别字。"
    new = "第一段。\n第二段。"
    html = diff_html(old, new)
    assert html == "第一段。<br>第二段<del>有错别字</del>。"


def test_everything_is_escaped():
    html = diff_html("正文", "正文<script>alert(1)</script>")
    assert "<script>" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html


def test_a_single_unchanged_character_between_changes_joins_them():
    html = diff_html("甲乙丙", "丁乙戊")
    assert html == "<del>甲乙丙</del><ins>丁乙戊</ins>"


def test_same_text_has_no_marks():
    assert diff_html("不变的正文", "不变的正文") == "不变的正文"
