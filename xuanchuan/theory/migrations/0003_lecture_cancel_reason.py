from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("theory", "0002_play_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="lecture",
            name="cancel_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="取消原因"),
        ),
    ]
