"""The default standard every installation starts with: the 19 problem types of the national
civilised-city assessment as the district applies it (``shared/reference/civilised_city_assessment.md``
§5), grouped, each with its default severity and deadline in calendar days. Staff edit it or add a
new version (copy or Excel import) on the standards page."""

import datetime

from django.db import migrations

VERSION = "2021"
NAME = "全国文明城市测评体系（2021年版）区实施标准"

# (code, name, group, default severity, days)
CATEGORIES = [
    ("ENV_GARBAGE", "暴露垃圾/卫生死角", "市容环境", "minor", 1),
    ("ENV_STREET", "道路不洁/积水", "市容环境", "minor", 1),
    ("ENV_DEBRIS", "建筑垃圾渣土/乱堆乱放", "市容环境", "minor", 3),
    ("ENV_GREEN", "绿地脏乱/缺株", "市容环境", "minor", 5),
    ("ENV_WATER", "水域不洁", "市容环境", "minor", 15),
    ("ORD_POSTERS", "乱张贴/乱涂写", "市容环境", "minor", 1),
    ("BUILD_ILLEGAL", "违法搭建", "市容环境", "major", 15),
    ("ORD_STREET_TRADE", "占道/店外经营", "集贸市场", "minor", 1),
    ("ENV_TOILET", "公厕不洁/异味", "公共设施", "minor", 1),
    ("FAC_DAMAGED", "设施破损(人行道/无障碍/健身)", "公共设施", "minor", 7),
    ("INFO_SIGN", "标识缺失或不符(公厕指引/报站/生活圈牌)", "窗口单位", "minor", 7),
    ("ORD_PARKING", "车辆乱停放", "交通秩序", "minor", 1),
    ("TRAFFIC", "交通秩序(闯灯/逆行/不礼让)", "交通秩序", "major", 7),
    ("PSA_MISSING", "公益广告缺失/不足", "公益广告", "minor", 7),
    ("PSA_DAMAGED", "公益广告褪色破损", "公益广告", "minor", 3),
    ("ORD_WIRES", "飞线充电/缆线乱拉", "社区环境", "major", 3),
    ("SAFE_FIRE", "消防通道堵塞/设施缺失", "社区环境", "severe", 1),
    ("SITE_MGMT", "工地管理(围挡/制度上墙/安全帽)", "建筑工地", "minor", 3),
    ("BEHAVIOUR", "不文明行为(养犬/吐痰/插队)", "文明行为", "minor", 7),
]


def create(apps, schema_editor):
    Standard = apps.get_model("civility", "Standard")
    Category = apps.get_model("civility", "Category")
    if Standard.objects.filter(version=VERSION).exists():
        return
    current = not Standard.objects.filter(is_current=True).exists()
    standard = Standard.objects.create(
        name=NAME,
        version=VERSION,
        is_current=current,
        effective_from=datetime.date(2021, 1, 1),
        note=(
            "问题类型与整改期限依《全国文明城市测评体系操作手册（2021年版）》及各地督查做法整理；"
            "立行立改的问题期限为 1 天。"
        ),
    )
    Category.objects.bulk_create(
        Category(
            standard=standard,
            code=code,
            name=name,
            group=group,
            default_severity=severity,
            deadline_days=days,
            position=(index + 1) * 10,
        )
        for index, (code, name, group, severity, days) in enumerate(CATEGORIES)
    )


def remove(apps, schema_editor):
    Standard = apps.get_model("civility", "Standard")
    Category = apps.get_model("civility", "Category")
    Category.objects.filter(standard__version=VERSION).delete()
    Standard.objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("civility", "0002_problem_reporter_encrypted")]

    operations = [migrations.RunPython(create, remove)]
