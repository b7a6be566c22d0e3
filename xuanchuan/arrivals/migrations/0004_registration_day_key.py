"""``Registration.day_key`` and the partial index of the rows without one (the data: 0005)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("arrivals", "0003_pending_correction"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="day_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="同一证件号码同一到达日期只有一条登记持有；没有的（且未合并）即疑似重复登记",
                max_length=64,
                null=True,
                unique=True,
                verbose_name="同人同日键",
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                condition=models.Q(("day_key__isnull", True)),
                fields=["arrival_date", "unit"],
                name="arrivals_reg_no_day_idx",
            ),
        ),
    ]
