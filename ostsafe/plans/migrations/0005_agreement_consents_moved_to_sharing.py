"""Consent to share the agreement now lives in the sharing app's one consent record (copied by sharing.0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_notes_limited"),
        ("sharing", "0002_agreement_consents_moved"),
    ]

    operations = [
        migrations.DeleteModel(name="AgreementShareConsent"),
    ]
