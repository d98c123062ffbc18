from django.db import migrations

# Calendar days past the deadline at which a late item turns 蓝 / 黄 / 红; admins change them.
DEFAULTS = {"blue": 1, "yellow": 5, "red": 10}


def create(apps, schema_editor):
    rule = apps.get_model("supervision", "EscalationRule")
    for level, days in DEFAULTS.items():
        rule.objects.get_or_create(level=level, defaults={"days_overdue": days})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
