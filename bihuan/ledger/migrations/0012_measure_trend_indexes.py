from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0011_problem_campaign"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="measure",
            index=models.Index(fields=["created_at"], name="ledger_measure_created"),
        ),
        migrations.AddIndex(
            model_name="measure",
            index=models.Index(fields=["closed_at"], name="ledger_measure_closed"),
        ),
    ]
