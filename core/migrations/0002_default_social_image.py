import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinicsettings",
            name="default_social_image",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Shown when a page is shared on social media and has no image of its own, "
                    "such as the clinic's logo or building. Its description there is the "
                    "clinic's name."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="default social image",
            ),
        ),
    ]
