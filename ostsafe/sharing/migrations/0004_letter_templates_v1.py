"""Version 1 of the routine notification letter and of the update, in the words of the guide's good-practice example
("Joint working and information sharing: routine notification"). Published here, never edited: a new wording is a new
version in a new migration, and a sent letter keeps the words it was sent with."""

import datetime

from django.db import migrations

ROUTINE = {
    "subject": "Routine notification: {service_user}",
    "paragraphs": [
        "Dear {recipient},",
        "{service_user}, of {address}, is a parent or carer who is being supported by {service}. With their consent, "
        "we are letting you know, as part of our routine notification arrangements, because you work with the family. "
        "The children are: {children}.",
        "This is not a referral, and it does not replace safeguarding or child protection procedures. It is a way of "
        "establishing good communication between our services, so that parents and their children can be supported "
        "earlier.",
        "We commit to letting you know of any developments, significant changes or concerns relating to "
        "{service_user} or the family. We ask that you likewise let us know of any developments, significant changes "
        "or concerns that you become aware of.",
        "{keyworker} will telephone you shortly to introduce themselves and agree how we keep in touch.",
        "Please acknowledge this letter in OST Safe (Shared with me). You can reach {keyworker} at {keyworker_contact}.",
        "Yours sincerely,",
        "{keyworker}, {service}",
    ],
}
UPDATE = {
    "subject": "Update: {service_user}",
    "paragraphs": [
        "Dear {recipient},",
        "As we agreed when we wrote to you about {service_user}, of {address}, we are letting you know of a "
        "development: {development}.",
        "{service_user} consented to our sharing updates with you. Please let us know of anything you are aware of "
        "that bears on this, and acknowledge this update in OST Safe (Shared with me).",
        "You can reach {keyworker} at {keyworker_contact}.",
        "Yours sincerely,",
        "{keyworker}, {service}",
    ],
}


def publish(apps, schema_editor):
    Template = apps.get_model("sharing", "NotificationTemplate")
    for kind, text in (("routine", ROUTINE), ("update", UPDATE)):
        Template.objects.create(kind=kind, version=1, published_on=datetime.date(2026, 11, 24), **text)


def unpublish(apps, schema_editor):
    apps.get_model("sharing", "NotificationTemplate").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0003_notifications_and_partner_reports")]

    operations = [migrations.RunPython(publish, unpublish)]
