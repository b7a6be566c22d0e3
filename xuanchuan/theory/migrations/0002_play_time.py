import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("theory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="play",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="首次播放时间"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="play",
            name="watched_seconds",
            field=models.PositiveIntegerField(default=0, verbose_name="当日新看时长（秒）"),
        ),
    ]
