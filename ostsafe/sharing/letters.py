"""Letters: the words from a versioned template, filled in from the record; the PDF that goes with the email."""

from django.template.loader import render_to_string
from weasyprint import HTML

from ostsafe.core.households import shared_sections
from ostsafe.core.validators import today
from ostsafe.families.models import MemberRole


class _Blank(dict):
    def __missing__(self, key):
        return ""


def letter_context(*, household, service_user, recipient, keyworker, development: str = "") -> dict:
    children = [
        f"{child.given_name or 'unborn baby'} ({child.age_label})"
        for child in household.members.current(today()).filter(role=MemberRole.CHILD).order_by("date_of_birth", "pk")
    ]
    address = ", ".join(
        part
        for part in (household.address_line_1, household.address_line_2, household.town, household.postcode)
        if part
    )
    return {
        "recipient": recipient.display_name,
        "service_user": service_user.full_name,
        "address": address,
        "children": "; ".join(children) or "none recorded living at home",
        "service": household.team.organisation.name,
        "keyworker": keyworker.full_name,
        "keyworker_contact": keyworker.email,
        "development": development,
    }


def fill(text: str, context: dict) -> str:
    """A template's text with the record's values; braces it does not know stay empty (never an error)."""
    return text.format_map(_Blank(context))


def letter_pdf(notification) -> bytes:
    html = render_to_string("sharing/letter_pdf.html", {"notification": notification})
    return HTML(string=html).write_pdf()


def referral_pdf(referral) -> bytes:
    scopes = set()
    if referral.include_assessment:
        scopes.add("risk_assessment")
    if referral.include_plan:
        scopes.add("safety_plan")
    sections = shared_sections(referral.household, scopes, today())
    html = render_to_string("sharing/referral_pdf.html", {"referral": referral, "sections": sections})
    return HTML(string=html).write_pdf()
