"""The roles every installation has. Their codes are what the modules check."""

from django.db import migrations

ROLES = [
    # code, name, description, sees all units, may read personal data in full
    ("dept_admin", "部管理员", "区委宣传部管理人员：查看全区数据，配置单位、人员和角色", True, True),
    ("unit_reporter", "单位填报员", "各部门单位、街道、社区、村填报本单位工作记录", False, False),
    ("reviewer_first", "初审", "信息发布三审制度的第一审", False, False),
    ("reviewer_second", "复审", "信息发布三审制度的第二审", False, False),
    ("reviewer_final", "终审", "信息发布三审制度的终审", False, False),
    ("community_worker", "社区工作人员", "社区（村）工作人员：来返人员随访、通行证审核、疫情日报", False, True),
    ("checkpoint_guard", "卡口核验员", "在卡口扫码核验居民电子通行证", False, False),
    ("network_admin", "网络管理员", "上网计算机台账、端口和物理地址绑定、网站巡查", False, False),
    # Added later (0005 creates it in databases migrated before); here so that a new database and the
    # tests that re-create the roles after a flush have every role.
    ("civility_inspector", "创城督查员", "文明城市创建：巡查发现问题、交办、复核整改", False, False),
    # Added by 0006 likewise.
    ("points_clerk", "积分兑换核销员", "积分超市和合作商户：扫码核销志愿者的积分兑换", False, False),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for code, name, description, sees_all, personal in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "sees_all_units": sees_all,
                "can_view_personal_data": personal,
            },
        )


def remove_roles(apps, schema_editor):
    apps.get_model("org", "Role").objects.filter(code__in=[role[0] for role in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
