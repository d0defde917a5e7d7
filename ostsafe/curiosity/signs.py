"""The guide's nine warning signs, each a rule over the record with its evidence.

A rule returns a Finding: RAISED with evidence, CLEAR, UNKNOWN (the record cannot say: "unknown — no information",
never "no concern"), or NOT_APPLICABLE (a child-related sign in a family with no child). Rules read a family's facts
(`facts.FamilyFacts`, loaded through the other apps' selectors for many families at once) and never write. A
practitioner may raise any sign by hand as well.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse

from ostsafe.assessments.models import Section
from ostsafe.sharing.models import PartnerReportKind

from .facts import FamilyFacts
from .models import PROFESSIONAL_CHOICES, ObservationKind, ProfessionalSays

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
    evaluate: Callable | None  # (facts, as_of, policy) -> Finding; None: not checked automatically
    found: str = "Found"  # how the tab says the rule holds
    unknown: str = ""  # why the record cannot say, when it cannot


def _words(iso: str) -> str:
    """A date kept as ISO text, in words ("3 November 2026"); other text as it is."""
    try:
        return f"{date.fromisoformat(iso):%-d %B %Y}"
    except ValueError:
        return iso


def _item(on: date | None, text: str, url: str = "") -> dict:
    return {"on": on.isoformat() if on else "", "text": text, "url": url}


def _sharing_tab(household) -> str:
    return reverse("sharing:tab", args=[household.pk])


def _tab(household) -> str:
    return reverse("curiosity:tab", args=[household.pk])


MISSED_CONTACT_KINDS = [PartnerReportKind.MISSED_HEALTH_CONTACT, PartnerReportKind.MISSED_IMMUNISATION]


REPORTED = "reported"  # monitoring's TestMethod.REPORTED: use the service user told the keyworker of
ATTENDED = "attended"
MISSED = {"did_not_attend", "cancelled_by_client"}  # cancelled by the service is not the person's attendance


def _rate(appointments) -> tuple[int, int]:
    counted = [a for a in appointments if a.outcome == ATTENDED or a.outcome in MISSED]
    return sum(a.outcome == ATTENDED for a in counted), len(counted)


def attendance_change(facts: FamilyFacts, as_of: date, policy) -> Finding:
    """A fall or a jump in each service user's attendance rate over the recent window against their own baseline
    (the window before it): someone who always attends half has not changed; someone who went from all to a third
    has. The change must also be more appointments than chance gives (`attendance_min_difference` away from what the
    baseline rate would give). Too few appointments in either window to say: unknown."""
    recent_from = as_of - timedelta(days=policy.attendance_recent_days)
    baseline_from = recent_from - timedelta(days=policy.attendance_baseline_days)
    household = facts.household
    appointments = [a for a in facts.appointments if a.on >= baseline_from]
    evidence, judged = [], False
    for service_user in facts.service_users:
        mine = [a for a in appointments if a.service_user_id == service_user.pk]
        recent_attended, recent_total = _rate([a for a in mine if a.on > recent_from])
        base_attended, base_total = _rate([a for a in mine if a.on <= recent_from])
        if min(recent_total, base_total) < policy.attendance_min_appointments:
            continue
        judged = True
        recent, base = 100 * recent_attended / recent_total, 100 * base_attended / base_total
        expected = recent_total * base_attended / base_total  # what the person's own baseline rate would give
        if (
            abs(recent - base) >= policy.attendance_change_percent
            and abs(recent_attended - expected) >= policy.attendance_min_difference
        ):
            direction = "fell" if recent < base else "jumped"
            evidence.append(
                _item(
                    mine[-1].on,  # the latest appointment, not today: the evidence stays the same until it changes
                    f"{service_user.full_name}'s attendance {direction}: {recent_attended} of {recent_total} "
                    f"({recent:.0f}%) in the last {policy.attendance_recent_days} days, against {base_attended} of "
                    f"{base_total} ({base:.0f}%) in the {policy.attendance_baseline_days} days before",
                    reverse("pharmacy:tab", args=[household.pk]),
                )
            )
    if evidence:
        return Finding(RAISED, evidence)
    return Finding(CLEAR if judged else UNKNOWN)


def substance_use(facts: FamilyFacts, as_of: date, policy) -> Finding:
    """Starting or increasing illicit substance or alcohol use: a positive test for a substance whose every test in the
    baseline was negative; use reported at keywork with none recorded in the baseline; more positives (tested or
    reported) a month in the window than in the baseline; a rising AUDIT-C score. A positive for the person's own
    prescribed OST drug does not count. No tests at all: unknown."""
    recent_from = as_of - timedelta(days=policy.attendance_recent_days)
    baseline_from = recent_from - timedelta(days=policy.attendance_baseline_days)
    household = facts.household
    tests = [t for t in facts.tests if t.taken_on >= baseline_from]
    if not tests:
        return Finding(UNKNOWN)
    prescribed = facts.prescribed
    evidence = []
    for service_user in facts.service_users:
        mine = [t for t in tests if t.service_user_id == service_user.pk]
        drugs = [t for t in mine if t.method != "audit_c" and t.substance not in prescribed.get(service_user.pk, set())]
        for substance in sorted({t.substance for t in drugs}):
            of_it = [t for t in drugs if t.substance == substance]
            before = [t for t in of_it if t.taken_on <= recent_from]
            recent = [t for t in of_it if t.taken_on > recent_from]
            new_positive = next((t for t in recent if t.positive), None)
            reported = next((t for t in recent if t.positive and t.method == REPORTED), None)
            if reported is not None and not any(t.positive for t in before):
                evidence.append(
                    _item(
                        reported.taken_on,
                        f"{service_user.full_name} said at keywork they had used "
                        f"{reported.get_substance_display().lower()}, with no use of it recorded in the "
                        f"{policy.attendance_baseline_days} days before",
                        reverse("pharmacy:tab", args=[household.pk]),
                    )
                )
                continue
            if before and not any(t.positive for t in before) and new_positive is not None:
                evidence.append(
                    _item(
                        new_positive.taken_on,
                        f"{service_user.full_name}: positive for {new_positive.get_substance_display().lower()} "
                        f"after {len(before)} negative test{'s' if len(before) > 1 else ''} (the last on "
                        f"{before[-1].taken_on:%-d %B %Y})",
                        reverse("pharmacy:tab", args=[household.pk]),
                    )
                )
                continue
            recent_rate = 30 * sum(bool(t.positive) for t in recent) / policy.attendance_recent_days
            base_rate = 30 * sum(bool(t.positive) for t in before) / policy.attendance_baseline_days
            if sum(bool(t.positive) for t in recent) >= 2 and recent_rate > 2 * base_rate:
                evidence.append(
                    _item(
                        recent[-1].taken_on,
                        f"{service_user.full_name}: {sum(bool(t.positive) for t in recent)} positive tests for "
                        f"{recent[-1].get_substance_display().lower()} in the last "
                        f"{policy.attendance_recent_days} days "
                        f"({recent_rate:.1f} a month, against {base_rate:.1f} before)",
                        reverse("pharmacy:tab", args=[household.pk]),
                    )
                )
        scores = [t for t in mine if t.method == "audit_c" and t.audit_c_score is not None]
        if (
            len(scores) >= 2
            and scores[-1].taken_on > recent_from
            and scores[-1].audit_c_score >= scores[-2].audit_c_score + 2
        ):
            evidence.append(
                _item(
                    scores[-1].taken_on,
                    f"{service_user.full_name}: AUDIT-C rose from {scores[-2].audit_c_score} to "
                    f"{scores[-1].audit_c_score}",
                    reverse("pharmacy:tab", args=[household.pk]),
                )
            )
    return Finding(RAISED if evidence else CLEAR, evidence)


def disengagement(facts: FamilyFacts, as_of: date, policy) -> Finding:
    """Missed appointments with the service, a run of missed doses, missed health-visiting contacts reported by a
    partner, or no contact (no attended appointment, no home visit) for weeks after there was some."""
    household = facts.household
    since = as_of - timedelta(days=policy.disengagement_window_days)
    evidence = []
    appointments = [a for a in facts.appointments if a.on >= since]
    missed = [a for a in appointments if a.outcome in MISSED]
    if len(missed) >= policy.disengagement_missed_appointments:
        evidence.append(
            _item(
                missed[-1].on,
                f"{len(missed)} appointments missed in the last {policy.disengagement_window_days} days: "
                + ", ".join(f"{a.on:%-d %b} ({facts.name_of(a.service_user_id)})" for a in missed),
                reverse("pharmacy:tab", args=[household.pk]),
            )
        )
    for run in facts.missed_runs:
        evidence.append(
            _item(
                run[-1].expected_on,
                f"{len(run)} missed doses in a row, {run[0].expected_on:%-d %b} to {run[-1].expected_on:%-d %b}: "
                f"{run[0].prescription.service_user.full_name} at {run[0].prescription.pharmacy}",
                reverse("pharmacy:tab", args=[household.pk]),
            )
        )
    for report in facts.reports([PartnerReportKind.MISSED_HEALTH_CONTACT], since):
        evidence.append(
            _item(report.happened_on, f"Missed health-visiting contact: {report.details}", _sharing_tab(household))
        )
    contact_from = as_of - timedelta(days=policy.no_contact_days)
    last_contact = max([d for d in [facts.last_attended_on, facts.last_visit_on] if d is not None], default=None)
    if last_contact is not None and last_contact < contact_from:
        evidence.append(_item(last_contact, f"No attended appointment or home visit since {last_contact:%-d %B %Y}"))
    if evidence:
        return Finding(RAISED, evidence)
    # Nothing recorded to judge engagement by: no appointment with an outcome, no visit, no dispensing. Unknown.
    return Finding(CLEAR if last_contact is not None or appointments or facts.doses_recorded else UNKNOWN)


def concerns_by_others(facts: FamilyFacts, as_of: date, policy) -> Finding:
    household = facts.household
    since = as_of - timedelta(days=policy.concern_window_days)
    evidence = [
        _item(c.received_on, f"Concern ({c}): {c.description}", reverse("pharmacy:tab", args=[household.pk]))
        for c in facts.concerns
        if c.received_on >= since
    ]
    evidence += [
        _item(c.raised_on, f"Pharmacist's concern ({c.get_category_display().lower()}): {c.description}")
        for c in facts.pharmacy_concerns
        if c.raised_on >= since
    ]
    evidence += [
        _item(r.happened_on, f"{r.reported_by.get_role_display()}'s concern: {r.details}", _sharing_tab(household))
        for r in facts.reports([PartnerReportKind.CONCERN], since)
    ]
    return Finding(RAISED if evidence else CLEAR, evidence)


def another_ost_user(facts: FamilyFacts, as_of: date, policy) -> Finding:
    if not facts.children:
        return Finding(NOT_APPLICABLE)
    in_treatment = facts.service_users
    evidence = []
    if len(in_treatment) > 1:
        evidence.append(
            _item(None, "Two or more people in treatment here: " + ", ".join(s.full_name for s in in_treatment))
        )
    evidence += [
        _item(m.start_date, f"{m.display_name} lives here and is prescribed OST elsewhere")
        for m in facts.on_ost_elsewhere
    ]
    return Finding(RAISED if evidence else CLEAR, evidence)


def unknown_adults(facts: FamilyFacts, as_of: date, policy) -> Finding:
    household = facts.household
    evidence = [
        _item(
            m.start_date,
            f"{m.display_name}: {m.get_role_display().lower()}",
            reverse("families:household", args=[household.pk]),
        )
        for m in facts.unknown_adults
    ]
    return Finding(RAISED if evidence else CLEAR, evidence)


def _child_events(facts: FamilyFacts, as_of: date, policy, kinds) -> Finding:
    if not facts.children:
        return Finding(NOT_APPLICABLE)
    household = facts.household
    since = as_of - timedelta(days=policy.child_event_window_days)
    reports = facts.reports(kinds, since)
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
    return Finding(CLEAR if facts.child_health_reporter else UNKNOWN)


def child_appointments_missed(facts: FamilyFacts, as_of: date, policy) -> Finding:
    kinds = [PartnerReportKind.MISSED_HEALTH_CONTACT, PartnerReportKind.MISSED_IMMUNISATION]
    return _child_events(facts, as_of, policy, kinds)


def routine_not_age_appropriate(facts: FamilyFacts, as_of: date, policy) -> Finding:
    return _child_events(facts, as_of, policy, [PartnerReportKind.ROUTINE_NOT_AGE_APPROPRIATE])


def _out_of_character_attendance(facts: FamilyFacts, as_of: date, policy) -> list[dict]:
    """Full attendance in the weeks before a review or meeting (held lately or due soon) after a long low rate."""
    household = facts.household
    weeks = timedelta(days=policy.compliance_before_review_days)
    evidence: list[dict] = []
    occasions = facts.occasions
    if not occasions:
        return evidence
    baseline_days = timedelta(days=policy.attendance_baseline_days)
    earliest = min(min(on, as_of) for on, _ in occasions) - weeks - baseline_days
    appointments = [a for a in facts.appointments if a.on >= earliest]
    for service_user in facts.service_users:
        mine = [a for a in appointments if a.service_user_id == service_user.pk]
        for on, what in occasions:
            before = min(on, as_of)
            weeks_before = [a for a in mine if before - weeks < a.on <= before]
            recent_attended, recent_total = _rate(weeks_before)
            base_attended, base_total = _rate(
                [a for a in mine if before - weeks - baseline_days < a.on <= before - weeks]
            )
            if recent_total < policy.attendance_min_appointments or base_total < policy.attendance_min_appointments:
                continue
            base = 100 * base_attended / base_total
            if recent_attended == recent_total and base <= policy.compliance_low_rate_percent:
                evidence.append(
                    _item(
                        weeks_before[-1].on,
                        f"Attendance out of character: {service_user.full_name} attended all {recent_total} "
                        f"appointments in the {policy.compliance_before_review_days} days before the {what} "
                        f"({on:%-d %B %Y}), against {base_attended} of {base_total} ({base:.0f}%) before that",
                        reverse("pharmacy:tab", args=[household.pk]),
                    )
                )
                break
    return evidence


def _changes_not_carried_out(facts: FamilyFacts, as_of: date, policy) -> list[dict]:
    if not facts.actions_not_carried_out and not facts.actions_deferred:
        return []
    plan_tab = reverse("plans:plan", args=[facts.household.pk])
    evidence = [
        _item(
            action.due_on,
            f"Change agreed but not carried out: “{action.expectation[:120]}” "
            + ("was not done" if action.status == "not_done" else f"was due {action.due_on:%-d %B %Y}"),
            plan_tab,
        )
        for action in facts.actions_not_carried_out
    ]
    evidence += [
        _item(
            changes[-1].changed_on,
            f"Deadline moved {len(changes)} times: “{action.expectation[:120]}” (first due "
            f"{_words(changes[0].old_value)}, now {_words(changes[-1].new_value)})",
            plan_tab,
        )
        for action, changes in facts.actions_deferred
    ]
    return evidence


def _no_change_despite_intervention(facts: FamilyFacts, as_of: date, policy) -> list[dict]:
    weighted = [(a, a.domain_weights) for a in facts.assessments][-policy.compliance_assessments :]
    if len(weighted) < max(policy.compliance_assessments, 2):
        return []
    (first, first_weights), (last, _) = weighted[0], weighted[-1]
    stuck = [
        section
        for section, weight in first_weights.items()
        if weight > 0 and all(weights.get(section, 0) >= weight for _, weights in weighted[1:])
    ]
    if len(stuck) < policy.compliance_domains:
        return []
    contacts = facts.contacts_between(first.completed_on, last.completed_on)
    if contacts < policy.compliance_contacts:
        return []
    names = ", ".join(Section(section).label.lower() for section in sorted(stuck))
    return [
        _item(
            last.completed_on,
            f"No change across {len(stuck)} domains over {len(weighted)} assessments from "
            f"{first.completed_on:%-d %B %Y} to {last.completed_on:%-d %B %Y}, despite {contacts} contacts: {names}",
            reverse("assessments:tab", args=[facts.household.pk]),
        )
    ]


def _overstated_engagement(facts: FamilyFacts, since: date) -> list[dict]:
    household = facts.household
    evidence = []
    for seen in [o for o in facts.observations if o.kind == ObservationKind.REPORTED_CONTACT and o.noticed_on >= since]:
        role = dict(PROFESSIONAL_CHOICES)[seen.professional].lower()
        if seen.professional_says == ProfessionalSays.CONTRADICTED:
            evidence.append(
                _item(
                    seen.noticed_on,
                    f"Account of contact not borne out: {seen.service_user.full_name} said they saw the {role} on "
                    f"{seen.contact_on:%-d %B %Y}; the {role}'s record does not show it",
                    _tab(household),
                )
            )
            continue
        window = (seen.contact_on - timedelta(days=7), seen.contact_on + timedelta(days=7))
        missed = [
            r
            for r in facts.reports(MISSED_CONTACT_KINDS, window[0])
            if r.happened_on <= window[1] and r.reported_by.role == seen.professional
        ]
        if missed:
            evidence.append(
                _item(
                    seen.noticed_on,
                    f"Account of contact not borne out: {seen.service_user.full_name} said they saw the {role} on "
                    f"{seen.contact_on:%-d %B %Y}; the {role} reported {missed[0].get_kind_display().lower()} on "
                    f"{missed[0].happened_on:%-d %B %Y}",
                    _sharing_tab(household),
                )
            )
    return evidence


def _noticed_compliance(facts: FamilyFacts, since: date) -> list[dict]:
    household = facts.household
    evidence = [
        _item(o.noticed_on, f"{o.get_kind_display()} ({o.service_user.full_name}): {o.note}", _tab(household))
        for o in facts.observations
        if o.kind in (ObservationKind.SUDDEN_COMPLIANCE, ObservationKind.AGREEMENT_WITH_SANCTIONS)
        and o.noticed_on >= since
    ]
    for review in facts.noticed_at_reviews:
        noticed = [
            label
            for label, ticked in [
                ("sudden compliance with requests", review.noticed_sudden_compliance),
                ("unexpected agreement with sanctions", review.noticed_agreement_with_sanctions),
            ]
            if ticked
        ]
        evidence.append(
            _item(
                review.reviewed_on,
                f"Noticed at the safety plan review: {' and '.join(noticed)}",
                reverse("plans:plan", args=[household.pk]),
            )
        )
    return evidence


def disguised_compliance(facts: FamilyFacts, as_of: date, policy) -> Finding:
    """Candidate indicators from the record, each with its evidence, never an accusation: attendance out of character
    before a review or meeting; changes agreed but not carried out; no change across domains despite considerable
    intervention; an account of contact with another professional that their record does not bear out; sudden
    compliance or unexpected agreement with sanctions noticed by the practitioner."""
    since = as_of - timedelta(days=policy.compliance_window_days)
    evidence = (
        _out_of_character_attendance(facts, as_of, policy)
        + _changes_not_carried_out(facts, as_of, policy)
        + _no_change_despite_intervention(facts, as_of, policy)
        + _overstated_engagement(facts, since)
        + _noticed_compliance(facts, since)
    )
    return Finding(RAISED if evidence else CLEAR, evidence)


NOBODY_WHO_WOULD_KNOW = (
    "Nobody who would know (a health visitor, school nurse or other partner) has this family shared with them"
)

SIGNS = [
    Sign(
        "attendance_change",
        1,
        "Change in the regularity of appointment attendance",
        "Changes in the regularity of appointment attendance",
        attendance_change,
        unknown="Too few appointments recorded to compare lately with before",
    ),
    Sign(
        "substance_use",
        2,
        "Starting or increasing illicit substance or alcohol use",
        "Starting or increasing use of illicit substances or alcohol",
        substance_use,
        unknown="No test results or reported use recorded in the last seven months",
    ),
    Sign(
        "disengagement",
        3,
        "Disengagement from one or more services",
        "Disengagement from one or more services",
        disengagement,
        unknown="No appointments, home visits or doses recorded to judge by",
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
        unknown=NOBODY_WHO_WOULD_KNOW,
    ),
    Sign(
        "routine_not_age_appropriate",
        8,
        "A child's routine not age appropriate",
        "A child's routine not being age appropriate",
        routine_not_age_appropriate,
        unknown=NOBODY_WHO_WOULD_KNOW,
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
        disguised_compliance,
        found="Indicators to consider",
    ),
]
SIGNS_BY_KEY = {sign.key: sign for sign in SIGNS}

# The order in which the caseload names a family's most serious raised sign: what puts a child at risk now first. An
# order for reading, not a score.
SERIOUSNESS = [
    "concerns_by_others",
    "unknown_adults",
    "another_ost_user",
    "child_appointments_missed",
    "routine_not_age_appropriate",
    "substance_use",
    "disengagement",
    "disguised_compliance",
    "attendance_change",
]


def most_serious(keys) -> Sign:
    return SIGNS_BY_KEY[min(keys, key=SERIOUSNESS.index)]
