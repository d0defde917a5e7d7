"""The guide's nine warning signs, each a rule over the record with its evidence.

A rule returns a Finding: RAISED with evidence, CLEAR, UNKNOWN (the record cannot say: "unknown — no information",
never "no concern"), or NOT_APPLICABLE (a child-related sign in a family with no child). Rules read other apps
through their selectors and never write. Signs whose rules are not yet written read NOT_CHECKED: a practitioner raises
them by hand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse

from ostsafe.families import selectors as families
from ostsafe.monitoring import selectors as monitoring
from ostsafe.pharmacy import selectors as pharmacy
from ostsafe.sharing import selectors as sharing
from ostsafe.sharing.models import PartnerReportKind

RAISED = "raised"
CLEAR = "clear"
UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"
NOT_CHECKED = "not_checked"


@dataclass(frozen=True)
class Finding:
    state: str
    evidence: list = field(default_factory=list)  # [{"on": "2026-11-01", "text": "...", "url": "..."}]


@dataclass(frozen=True)
class Sign:
    key: str
    number: int
    title: str
    guide: str
    evaluate: Callable | None  # (household, as_of, policy) -> Finding; None: not yet checked automatically


def _item(on: date | None, text: str, url: str = "") -> dict:
    return {"on": on.isoformat() if on else "", "text": text, "url": url}


def _sharing_tab(household) -> str:
    return reverse("sharing:tab", args=[household.pk])


def concerns_by_others(household, as_of: date, policy) -> Finding:
    since = as_of - timedelta(days=policy.concern_window_days)
    evidence = [
        _item(c.received_on, f"Concern ({c}): {c.description}", reverse("pharmacy:tab", args=[household.pk]))
        for c in monitoring.concerns_since(household, since)
    ]
    evidence += [
        _item(c.raised_on, f"Pharmacist's concern ({c.get_category_display().lower()}): {c.description}")
        for c in pharmacy.pharmacy_concerns_since(household, since)
    ]
    evidence += [
        _item(r.happened_on, f"{r.reported_by.get_role_display()}'s concern: {r.details}", _sharing_tab(household))
        for r in sharing.partner_reports_since(household, [PartnerReportKind.CONCERN], since)
    ]
    return Finding(RAISED if evidence else CLEAR, evidence)


def another_ost_user(household, as_of: date, policy) -> Finding:
    if not families.children_living_here(household, as_of):
        return Finding(NOT_APPLICABLE)
    in_treatment = families.service_users_in_treatment(household)
    evidence = []
    if len(in_treatment) > 1:
        evidence.append(
            _item(None, "Two or more people in treatment here: " + ", ".join(s.full_name for s in in_treatment))
        )
    evidence += [
        _item(m.start_date, f"{m.display_name} lives here and is prescribed OST elsewhere")
        for m in families.members_on_ost_elsewhere(household, as_of)
    ]
    return Finding(RAISED if evidence else CLEAR, evidence)


def unknown_adults(household, as_of: date, policy) -> Finding:
    evidence = [
        _item(
            m.start_date,
            f"{m.display_name}: {m.get_role_display().lower()}",
            reverse("families:household", args=[household.pk]),
        )
        for m in families.unknown_adults(household, as_of)
    ]
    return Finding(RAISED if evidence else CLEAR, evidence)


def _child_events(household, as_of: date, policy, kinds) -> Finding:
    if not families.children_living_here(household, as_of):
        return Finding(NOT_APPLICABLE)
    since = as_of - timedelta(days=policy.child_event_window_days)
    reports = sharing.partner_reports_since(household, kinds, since)
    evidence = [
        _item(
            r.happened_on,
            f"{r.get_kind_display()}{f' ({r.child.given_name})' if r.child_id and r.child.given_name else ''}, "
            f"reported by the {r.reported_by.get_role_display().lower()}: {r.details}",
            _sharing_tab(household),
        )
        for r in reports
    ]
    if evidence:
        return Finding(RAISED, evidence)
    return Finding(CLEAR if sharing.child_health_reporters(household) else UNKNOWN)


def child_appointments_missed(household, as_of: date, policy) -> Finding:
    kinds = [PartnerReportKind.MISSED_HEALTH_CONTACT, PartnerReportKind.MISSED_IMMUNISATION]
    return _child_events(household, as_of, policy, kinds)


def routine_not_age_appropriate(household, as_of: date, policy) -> Finding:
    return _child_events(household, as_of, policy, [PartnerReportKind.ROUTINE_NOT_AGE_APPROPRIATE])


SIGNS = [
    Sign(
        "attendance_change",
        1,
        "Change in the regularity of appointment attendance",
        "Changes in the regularity of appointment attendance",
        None,
    ),
    Sign(
        "substance_use",
        2,
        "Starting or increasing illicit substance or alcohol use",
        "Starting or increasing use of illicit substances or alcohol",
        None,
    ),
    Sign(
        "disengagement", 3, "Disengagement from one or more services", "Disengagement from one or more services", None
    ),
    Sign(
        "concerns_by_others",
        4,
        "Concerns expressed by others",
        "Concerns expressed by others including other professionals and family members",
        concerns_by_others,
    ),
    Sign(
        "another_ost_user",
        5,
        "Someone else using OST living with the child",
        "Someone also using OST residing with the child",
        another_ost_user,
    ),
    Sign(
        "unknown_adults",
        6,
        "Unknown adults staying in the family home",
        "Unknown adults staying in the family home",
        unknown_adults,
    ),
    Sign(
        "child_appointments_missed",
        7,
        "A child's medical appointments missed",
        "Failure to attend a child's medical appointments e.g. immunisations",
        child_appointments_missed,
    ),
    Sign(
        "routine_not_age_appropriate",
        8,
        "A child's routine not age appropriate",
        "A child's routine not being age appropriate",
        routine_not_age_appropriate,
    ),
    Sign(
        "disguised_compliance",
        9,
        "Disguised compliance",
        (
            "Disguised compliance, which might be suggested by a sudden compliance with practitioner requests, "
            "appointment attendance which is out of character, unexpected agreement with sanctions, eagerness to "
            "overstate engagement with other professionals, changes agreed but not carried out, or no change across a "
            "number of domains, despite considerable intervention"
        ),
        None,
    ),
]
SIGNS_BY_KEY = {sign.key: sign for sign in SIGNS}
