from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0009_measureevent_urge'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['-created_at', '-id'], name='ledger_problem_created'),
        ),
    ]
