from django.db import migrations

DEFAULT_CATEGORIES = ["理论学习", "政治素质", "能力本领", "担当作为", "工作作风", "廉洁自律"]


def add_default_categories(apps, schema_editor):
    Category = apps.get_model("ledger", "Category")
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_initial")]

    operations = [migrations.RunPython(add_default_categories, migrations.RunPython.noop)]
