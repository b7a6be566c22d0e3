"""The default template: the structure of a district's year-end work report, filled by the apps.

The report follows the usual order — an opening, six lines of work, a conclusion — in the
platform's own words. The frame (title, salutation, headings, the sentence that opens each line
of work, the conclusion) is written here; the paragraphs that carry numbers are contributed by the
apps in their ``report_text.py`` with :func:`report_paragraph`, so each module built later adds its
own paragraphs to the line of work it belongs to, and the default template always refers to the
figures the registry holds (a test checks that every registered figure appears in it).

The default template is not stored: it is built from the code on each use, so it never falls out
of step with the registry. Staff copy it to make a template of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from xuanchuan.reports.templating import figure_keys

DEFAULT_KEY = "default"
DEFAULT_NAME = "年度宣传思想工作报告（系统默认模板）"

OPENING = 0
CONCLUSION = 7
WORK_LINES: dict[int, tuple[str, str]] = {
    1: (
        "一、强化理论武装，夯实思想根基",
        "把学习贯彻党的创新理论作为首要政治任务，以理论学习中心组学习带动各级党员干部学，"
        "以分众化、对象化的宣讲把理论送到群众身边。",
    ),
    2: (
        "二、把握正确导向，做强主流舆论",
        "围绕中心、服务大局，统筹传统媒体和新媒体、网上和网下，讲好本地发展故事，传播好主流声音。",
    ),
    3: (
        "三、深化文明创建，培育时代新风",
        "以常态化创建为抓手，补短板、强弱项，推动新时代文明实践和志愿服务融入群众日常生活。",
    ),
    4: (
        "四、依法管网治网，以信息化助力治理",
        "坚持管网治网两手抓，依托平台把疫情防控中的登记、通行、上报等工作搬到线上，做到数据一次采集、全程可查。",
    ),
    5: (
        "五、坚持以文化人，推动文旅融合",
        "以群众需求为导向开展文化惠民活动，依托文化阵地开展研学和阅读推广，带动文化和旅游融合发展。",
    ),
    6: (
        "六、落实管控责任，守牢宣传阵地",
        "按照“谁主管谁负责、谁发布谁负责”的原则，严格执行信息发布审核制度，加强对各类宣传文化阵地的管理。",
    ),
}


@dataclass(frozen=True)
class Contribution:
    """A paragraph an app adds to the default template."""

    key: str
    line: int
    order: int
    text: str


_contributions: dict[str, Contribution] = {}


def report_paragraph(key: str, *, line: int, text: str, order: int = 100) -> None:
    """Add a paragraph to line of work ``line`` (1–6; 0 is the opening, 7 the conclusion).

    ``text`` is template text (see :mod:`xuanchuan.reports.templating`): one paragraph per line.
    Declared in an app's ``report_text.py``, which is imported when the reports app starts.
    """
    if line not in (OPENING, CONCLUSION, *WORK_LINES):
        raise ValueError(f"report paragraph {key!r}: no line of work {line}")
    existing = _contributions.get(key)
    if existing is not None and existing.text != text:
        raise ValueError(f"report paragraph {key!r} is declared twice")
    _contributions[key] = Contribution(key, line, order, text.strip())


def contributions(line: int) -> list[Contribution]:
    return sorted((item for item in _contributions.values() if item.line == line), key=lambda c: (c.order, c.key))


def default_body() -> str:
    """The default template's text, built from the frame and the apps' paragraphs."""
    parts = [
        "# {{ district }}{{ year }}年宣传思想工作情况报告",
        "> {{ var.addressee }}：",
        "{{ year }}年，{{ district }}宣传思想工作坚持以习近平新时代中国特色社会主义思想为指导，"
        "围绕举旗帜、聚民心、育新人、兴文化、展形象的使命任务，把各项工作落到日常、记在平台，"
        "为全区经济社会发展提供了思想保证和精神动力。现将一年来的工作报告如下。",
        *(item.text for item in contributions(OPENING)),
    ]
    for line, (heading, opening) in WORK_LINES.items():
        parts.append(f"## {heading}")
        parts.append(opening)
        parts.extend(item.text for item in contributions(line))
    parts.extend(item.text for item in contributions(CONCLUSION))
    parts.append(
        "一年来，全区宣传思想工作的各项成绩来自各部门单位、街道社区和广大干部群众的共同努力。"
        "下一步，我们将继续把宣传思想工作的每一项任务落实到具体工作和具体数据上，"
        "以更实的作风、更细的举措推动全区宣传思想工作再上新台阶。"
    )
    return "\n".join(parts) + "\n"


DEFAULT_VARIABLES = {"addressee": "各位领导、同志们"}


def default_figure_keys() -> list[str]:
    return figure_keys(default_body())
