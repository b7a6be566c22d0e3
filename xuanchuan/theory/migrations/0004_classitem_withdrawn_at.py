from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("theory", "0003_lecture_cancel_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="classitem",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="撤下时间"),
        ),
    ]
