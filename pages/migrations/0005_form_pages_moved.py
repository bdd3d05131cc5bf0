from django.db import migrations


class Migration(migrations.Migration):
    """The consultation request page and the accessibility page now belong to ``appointments``
    (``appointments.0006_form_pages`` moved their tables and content types): only the pages
    app's state forgets them here."""

    dependencies = [
        ("pages", "0004_translators_and_clinical_review"),
        ("appointments", "0006_form_pages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ConsultationRequestPage"),
                migrations.DeleteModel(name="AccessibilityPage"),
            ],
        ),
    ]
