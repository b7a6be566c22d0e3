"""The points clerk's role (积分兑换核销员): confirms good-deed points redemptions at a shop or merchant.

Databases migrated before this role existed get it here; 0002 lists it too, for new databases."""

from django.db import migrations

ROLE = ("points_clerk", "积分兑换核销员", "积分超市和合作商户：扫码核销志愿者的积分兑换", False, False)


def create_role(apps, schema_editor):
    code, name, description, sees_all, personal = ROLE
    apps.get_model("org", "Role").objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "description": description,
            "sees_all_units": sees_all,
            "can_view_personal_data": personal,
        },
    )


def remove_role(apps, schema_editor):
    apps.get_model("org", "Role").objects.filter(code=ROLE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0005_civility_inspector_role")]

    operations = [migrations.RunPython(create_role, remove_role)]
