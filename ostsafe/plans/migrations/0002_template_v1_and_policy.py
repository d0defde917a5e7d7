"""Version 1 of the guidance agreement, carrying the guide's points, and the default plan policy."""

import datetime

from django.db import migrations

SECTIONS = [
    {
        "heading": "Why we have this agreement",
        "text": "Your medicine helps you. But methadone and buprenorphine are very dangerous to children: a small amount "
        "can kill a child. This agreement sets out what you and we will do to keep the children in your life "
        "safe. We will go through it together and both keep a copy.",
    },
    {
        "heading": "Keeping your medicine safe",
        "text": "Only the person it is prescribed for may take it. Take old or unwanted medicine back to the pharmacy. "
        "Keep it in the locked box, out of the sight and reach of children: the box helps but is not "
        "child-proof. Store other medicines, drugs, alcohol and equipment safely too. Wash out empty bottles "
        "and put them in the dustbin. Never take your medicine where children can see.",
    },
    {
        "heading": "Seeing where it is kept",
        "text": "Your keyworker will ask to see where your medicine is kept when they visit, and will tell you what is "
        "going well and anything that needs to change.",
    },
    {
        "heading": "What is expected of you, and why",
        "text": "The specific things agreed with you, why they matter for your children, and by when, are written "
        "below.",
    },
    {
        "heading": "Timescales and reviews",
        "text": "Each thing we agree has a date. We will review this agreement and your safety plan regularly, more "
        "often when children are very young. Goals will not be moved without a reason that we write down.",
    },
    {
        "heading": "Who we will share this with",
        "text": "With your consent, we will share this agreement with the other professionals who work with your "
        "family, such as your health visitor or school nurse, so everyone is working to the same plan. If "
        "you do not agree to sign or share it, we will talk with our manager about what that means for your "
        "children's safety.",
    },
]


def load(apps, schema_editor):
    apps.get_model("plans", "AgreementTemplate").objects.create(
        version=1,
        title="Keeping children safe: our agreement",
        sections=SECTIONS,
        published_on=datetime.date(2026, 11, 23),
    )
    apps.get_model("plans", "PlanPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
