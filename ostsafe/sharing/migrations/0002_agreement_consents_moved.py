"""The guidance agreement's per-professional consents move onto the one consent record (purpose: share the guidance
agreement). Each becomes a Consent for the agreement's service user, from its date, with no end date; nothing is lost
(plans.0005 then removes the old table)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Old = apps.get_model("plans", "AgreementShareConsent")
    Consent = apps.get_model("sharing", "Consent")
    Consent.objects.bulk_create(
        [
            Consent(
                household_id=old.agreement.household_id,
                service_user_id=old.agreement.service_user_id,
                recipient_id=old.recipient_id,
                purpose="agreement",
                decision=old.decision,
                decided_on=old.decided_on,
                valid_from=old.decided_on,
                explained_how="",
                recorded_by_id=old.recorded_by_id,
            )
            for old in Old.objects.select_related("agreement").order_by("pk")
        ]
    )


def backwards(apps, schema_editor):
    Old = apps.get_model("plans", "AgreementShareConsent")
    Agreement = apps.get_model("plans", "GuidanceAgreement")
    Consent = apps.get_model("sharing", "Consent")
    for consent in Consent.objects.filter(purpose="agreement").order_by("pk"):
        agreement = (
            Agreement.objects.filter(service_user_id=consent.service_user_id, drafted_on__lte=consent.decided_on)
            .order_by("-drafted_on", "-pk")
            .first()
            or Agreement.objects.filter(service_user_id=consent.service_user_id).order_by("drafted_on", "pk").first()
        )
        if agreement is not None:
            Old.objects.create(
                agreement=agreement,
                recipient_id=consent.recipient_id,
                decided_on=consent.decided_on,
                decision=consent.decision,
                recorded_by_id=consent.recorded_by_id,
            )
    Consent.objects.filter(purpose="agreement").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_initial"),
        ("plans", "0004_notes_limited"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
