import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("budgeting", "0002_residents_who_planned"),
        ("engagement", "0001_initial"),
    ]

    operations = [
        # Email checks become contact checks: the same hashed code, by email or text message.
        migrations.RenameModel("EmailCheck", "ContactCheck"),
        migrations.RenameField("contactcheck", "email", "address"),
        migrations.AlterField(
            model_name="contactcheck",
            name="address",
            field=models.CharField(max_length=254),
        ),
        migrations.AddField(
            model_name="contactcheck",
            name="channel",
            field=models.CharField(choices=[("email", "Email"), ("sms", "Text message")],
                                   default="email", max_length=5),
        ),
        migrations.AddField(
            model_name="bid",
            name="community_group",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="bids", to="engagement.communitygroup"),
        ),
        migrations.AddField(
            model_name="bid",
            name="contact_phone",
            field=models.CharField(blank=True, help_text="+447 and 9 digits", max_length=13),
        ),
        migrations.AddField(
            model_name="bid",
            name="decision_sent_at",
            field=models.DateTimeField(blank=True, help_text="When the bidder was told the decision",
                                       null=True),
        ),
        migrations.AlterField(
            model_name="bid",
            name="status",
            field=models.CharField(choices=[("submitted", "Waiting for review"),
                                            ("accepted", "On the ballot"),
                                            ("rejected", "Not accepted"),
                                            ("ineligible", "Not eligible")],
                                   default="submitted", max_length=10),
        ),
    ]
