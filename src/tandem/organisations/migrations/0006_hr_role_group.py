from django.db import migrations

# Roles added after 0001_role_groups, each a group like every role.
ROLE_GROUPS = ["hr"]


def create_role_groups(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        group_model.objects.get_or_create(name=name)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0005_governance")]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
