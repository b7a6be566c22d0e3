"""The civilised-city inspector's role (创城督查员): finds problems, issues tickets, verifies.

Databases migrated before this role existed get it here; 0002 lists it too, for new databases."""

from django.db import migrations

ROLE = ("civility_inspector", "创城督查员", "文明城市创建：巡查发现问题、交办、复核整改", False, False)


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
    dependencies = [("org", "0004_role_permissions")]

    operations = [migrations.RunPython(create_role, remove_role)]
