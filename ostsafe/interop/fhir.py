"""One family's record as a FHIR R4 Bundle (UK Core-shaped), for another system: each person in treatment a Patient
(NHS number under https://fhir.nhs.uk/Id/nhs-number), the children and adults of the household RelatedPersons,
prescriptions MedicationRequests, the last four weeks' dispensing MedicationDispenses, raised warning signs Flags,
the safety plan a CarePlan, and consent to share Consents.

Built with fhir.resources' R4B models (the package's top level is R5) and validated as a whole on the way out: a
Bundle that would not parse is never sent. References inside the Bundle are `urn:uuid:` full URLs, stable for a
record (uuid5 of its kind and id), so that two exports of one family name the same resources alike.
"""

import uuid
from datetime import date, timedelta

from fhir.resources.R4B.bundle import Bundle

from ostsafe.curiosity import selectors as curiosity
from ostsafe.curiosity.signs import SIGNS_BY_KEY
from ostsafe.families.models import MemberRole, Sex
from ostsafe.pharmacy import selectors as pharmacy
from ostsafe.pharmacy.models import Outcome
from ostsafe.plans import selectors as plans
from ostsafe.prescribing import selectors as prescribing
from ostsafe.sharing import selectors as sharing

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
NAMESPACE = uuid.UUID("6f1c7c1e-8a1b-4d1f-9a43-0a57c0a5a0f1")  # OST Safe's, for uuid5 full URLs
DISPENSING_DAYS = 28

RELATIONSHIP = {
    MemberRole.CHILD: ("CHILD", "child"),
    MemberRole.PARTNER: ("SIGOTHR", "significant other"),
    MemberRole.FATHER: ("FTH", "father"),
    MemberRole.EXTENDED_FAMILY: ("EXT", "extended family member"),
}
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "unknown"}


def full_url(kind: str, pk) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}/{pk}')}"


def _profile(name: str) -> dict:
    return {"profile": [f"{UK_CORE}{name}"]}


def _name(given: str, family: str) -> list[dict]:
    name = {"use": "official"}
    if family:
        name["family"] = family
    if given:
        name["given"] = [given]
    return [name] if len(name) > 1 else []


def _patient(su) -> dict:
    resource = {
        "resourceType": "Patient",
        "meta": _profile("Patient"),
        "name": _name(su.given_name, su.family_name),
        "gender": GENDER.get(su.sex, "unknown"),
        "birthDate": su.date_of_birth.isoformat(),
    }
    if su.nhs_number:
        resource["identifier"] = [{"system": NHS_NUMBER, "value": su.nhs_number}]
    return resource


def _related(member, patient_url: str) -> dict:
    code = RELATIONSHIP.get(member.role)
    relationship = {"text": member.get_role_display()}
    if code:
        relationship["coding"] = [{"system": ROLE_CODES, "code": code[0], "display": code[1]}]
    resource = {
        "resourceType": "RelatedPerson",
        "meta": _profile("RelatedPerson"),
        "active": member.end_date is None,
        "patient": {"reference": patient_url},
        "relationship": [relationship],
        "name": _name(member.given_name, member.family_name),
    }
    if member.date_of_birth:
        resource["birthDate"] = member.date_of_birth.isoformat()
    if member.sex:
        resource["gender"] = GENDER.get(member.sex, "unknown")
    if member.start_date or member.end_date:
        resource["period"] = {
            k: v.isoformat() for k, v in (("start", member.start_date), ("end", member.end_date)) if v is not None
        }
    return resource


def _medication_request(p, patient_url: str, as_of: date) -> dict:
    ended = p.end_date is not None and p.end_date < as_of
    return {
        "resourceType": "MedicationRequest",
        "meta": _profile("MedicationRequest"),
        "status": "completed" if ended else "active",
        "intent": "order",
        "medicationCodeableConcept": {"text": p.get_drug_display()},
        "subject": {"reference": patient_url},
        "authoredOn": p.start_date.isoformat(),
        "requester": {"display": p.prescriber.full_name},
        "dosageInstruction": [{"text": f"{p.daily_dose.normalize():f}{p.dose_unit} daily; {p.regime_label}"}],
        "dispenseRequest": {
            "validityPeriod": {
                k: v.isoformat() for k, v in (("start", p.start_date), ("end", p.end_date)) if v is not None
            },
            "performer": {"display": p.pharmacy.name} if p.pharmacy_id else None,
        },
    }


def _dispense(record, patient_url: str) -> dict:
    p = record.prescription
    missed = record.outcome == Outcome.MISSED
    resource = {
        "resourceType": "MedicationDispense",
        "meta": _profile("MedicationDispense"),
        "status": "declined" if missed else "completed",
        "medicationCodeableConcept": {"text": p.get_drug_display()},
        "subject": {"reference": patient_url},
        "authorizingPrescription": [{"reference": full_url("prescription", p.pk)}],
        "type": {"text": record.get_outcome_display()},
    }
    if missed:
        resource["statusReasonCodeableConcept"] = {"text": "The dose was not collected"}
        resource["whenPrepared"] = f"{record.expected_on.isoformat()}T00:00:00+00:00"
    else:
        resource["whenHandedOver"] = f"{record.expected_on.isoformat()}T12:00:00+00:00"
        if record.quantity is not None:
            resource["quantity"] = {"value": float(record.quantity), "unit": p.dose_unit}
    return resource


def _flag(flag, patient_url: str) -> dict:
    sign = SIGNS_BY_KEY.get(flag.sign)
    return {
        "resourceType": "Flag",
        "meta": _profile("Flag"),
        "status": "active",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                        "code": "safety",
                        "display": "Safety",
                    }
                ]
            }
        ],
        "code": {"text": f"Warning sign: {sign.title if sign else flag.sign}"},
        "subject": {"reference": patient_url},
        "period": {"start": flag.raised_on.isoformat()},
    }


ACTIVITY_STATUS = {"open": "in-progress", "done": "completed", "not_done": "stopped"}


def _care_plan(plan, patient_url: str, as_of: date) -> dict:
    return {
        "resourceType": "CarePlan",
        "meta": _profile("CarePlan"),
        "status": "active",
        "intent": "plan",
        "title": "Safety plan",
        "description": f"Next review by {plan.next_review_on:%-d %B %Y}",
        "subject": {"reference": patient_url},
        "created": plan.created_on.isoformat(),
        "period": {"start": plan.created_on.isoformat()},
        "activity": [
            {
                "detail": {
                    "status": ACTIVITY_STATUS.get(a.status, "unknown"),
                    "description": f"{a.expectation} (why: {a.why}; who: {a.owner})"[:1000],
                    "scheduledPeriod": {"end": a.due_on.isoformat()},
                }
            }
            for a in plan.actions.all()
        ],
    }


CONSENT_STATUS = {"Given": "active", "Refused": "rejected", "Withdrawn": "inactive", "Ended": "inactive"}


def _consent(consent, patient_url: str, as_of: date) -> dict:
    label = consent.status_label(as_of)
    recipient = consent.recipient
    who = recipient.professional.full_name if recipient.professional_id else recipient.name
    period = {"start": consent.valid_from.isoformat()}
    if consent.valid_until:
        period["end"] = consent.valid_until.isoformat()
    return {
        "resourceType": "Consent",
        "meta": _profile("Consent"),
        "status": CONSENT_STATUS.get(label, "proposed"),
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                    "display": "Privacy Consent",
                }
            ]
        },
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": {"reference": patient_url},
        "dateTime": f"{consent.decided_on.isoformat()}T00:00:00+00:00",
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN", "display": "opt-in"}
            ]
        },
        "provision": {
            "type": "permit" if consent.decision == "given" else "deny",
            "period": period,
            "actor": [
                {
                    "role": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "IRCP",
                                "display": "information recipient",
                            }
                        ]
                    },
                    "reference": {"display": f"{who}, {recipient.role_in_family}"},
                }
            ],
            "purpose": [{"display": consent.purpose_label}],
        },
    }


def household_bundle(household, as_of: date) -> Bundle:
    """The family's Bundle, validated. A fixed number of queries whatever the size of the family's record."""
    people = list(household.service_users.order_by("pk"))
    entries: list[tuple[str, dict]] = []
    patients = {}
    for su in people:
        patients[su.pk] = full_url("patient", su.pk)
        entries.append((patients[su.pk], _patient(su)))
    first = patients[people[0].pk] if people else None
    if first:
        for member in household.members.filter(service_user__isnull=True).order_by("pk"):
            entries.append((full_url("related", member.pk), _related(member, first)))
    by_person = prescribing.prescriptions_by_service_user(people, as_of)
    for su in people:
        for p in by_person.get(su.pk, []):
            entries.append((full_url("prescription", p.pk), _medication_request(p, patients[su.pk], as_of)))
    for record in pharmacy.dispensing_for_household(household, as_of - timedelta(days=DISPENSING_DAYS)):
        entries.append(
            (full_url("dispense", record.pk), _dispense(record, patients[record.prescription.service_user_id]))
        )
    if first:
        for flag in curiosity.flags_for_household(household):
            if flag.cleared_at is None:
                entries.append((full_url("flag", flag.pk), _flag(flag, first)))
        plan = plans.current_plan(household)
        if plan is not None:
            entries.append((full_url("plan", plan.pk), _care_plan(plan, first, as_of)))
    service_users, _ = sharing.sharing_tab(household, as_of)
    for su in service_users:
        for consent in su.consents.all():
            entries.append((full_url("consent", consent.pk), _consent(consent, patients[su.pk], as_of)))
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(uuid.uuid5(NAMESPACE, f"household/{household.pk}/{as_of.isoformat()}")),
            "type": "collection",
            "timestamp": f"{as_of.isoformat()}T00:00:00+00:00",
            "entry": [{"fullUrl": url, "resource": _without_none(resource)} for url, resource in entries],
        }
    )


def _without_none(value):
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value
