"""The NDTMS-style monthly extract of the parental fields, one row per treatment episode open in the month, and the
check run before it is sent: every record that would be rejected, and why, so that it can be put right first.

Only an episode whose client consented to NDTMS carries more than the agency, the client reference and the consent
(NDTMS's own rule). The client reference is OST Safe's, never a name or an NHS number. Codes (docs/ndtms-extract.md):

PRNTSTAT  11 all their children live with them · 12 some do · 13 none do · 14 not a parent · 15 declined to say
CHILDWTH  how many children under 18 live with them
PREGNANT  Y / N (women only; blank for men)
CHILDSC   the highest children's social care status of a child living with them: 0 none · 1 child in need ·
          2 child protection plan · 3 looked after
"""

from dataclasses import dataclass, field
from datetime import date

from ostsafe.families.models import ChildrenAnswer, ChildStatus, MemberRole, NdtmsConsent, Sex

COLUMNS = ["AGNCY", "CLIENTID", "CONSENT", "TRIAGED", "DISD", "PRNTSTAT", "CHILDWTH", "PREGNANT", "CHILDSC"]
SOCIAL_CARE = {
    ChildStatus.NONE: 0,
    ChildStatus.CHILD_IN_NEED: 1,
    ChildStatus.CHILD_PROTECTION_PLAN: 2,
    ChildStatus.LOOKED_AFTER: 3,
}


@dataclass
class Row:
    service_user: object
    values: dict
    rejections: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        return [self.values.get(c, "") for c in COLUMNS]


def client_reference(service_user) -> str:
    return f"OS{service_user.pk:08d}"


def _children(service_user, on: date):
    """Children under 18 living in the household on the day, and whether a pregnancy is recorded there."""
    living, unborn = [], False
    for m in service_user.household.members.all():
        current = (m.start_date is None or m.start_date <= on) and (m.end_date is None or m.end_date >= on)
        if m.role != MemberRole.CHILD or not current or not m.lives_here:
            continue
        if m.date_of_birth is None:
            unborn = unborn or m.expected_due_date is not None
        elif (
            on.year - m.date_of_birth.year - ((on.month, on.day) < (m.date_of_birth.month, m.date_of_birth.day))
        ) < 18:
            living.append(m)
    return living, unborn


def row_for(service_user, month_end: date) -> Row:
    """One episode's row as of the month's last day (or its discharge), with what NDTMS would reject."""
    organisation = service_user.household.team.organisation
    on = min(month_end, service_user.discharged_on or month_end)
    consent = service_user.ndtms_consent
    row = Row(
        service_user,
        {
            "AGNCY": organisation.ndtms_agency_code,
            "CLIENTID": client_reference(service_user),
            "CONSENT": {NdtmsConsent.GIVEN: "Y", NdtmsConsent.DECLINED: "N"}.get(consent, ""),
        },
    )
    if not organisation.ndtms_agency_code:
        row.rejections.append(f"{organisation.name} has no NDTMS agency code: an administrator adds it in admin")
    if consent == NdtmsConsent.NOT_ASKED:
        row.rejections.append("Consent to NDTMS not asked yet: ask, and record the answer on their details")
    if consent != NdtmsConsent.GIVEN:
        return row

    living, unborn = _children(service_user, on)
    elsewhere = len(service_user.child_contacts.all())
    answer = service_user.children_answer
    if answer == ChildrenAnswer.DECLINED:
        status = "15"
    elif living and elsewhere:
        status = "12"
    elif living:
        status = "11"
    elif elsewhere:
        status = "13"
    elif answer == ChildrenAnswer.NONE:
        status = "14"
    else:
        status = ""
    row.values |= {
        "TRIAGED": f"{service_user.in_treatment_since:%Y-%m-%d}" if service_user.in_treatment_since else "",
        "DISD": f"{service_user.discharged_on:%Y-%m-%d}" if service_user.discharged_on else "",
        "PRNTSTAT": status,
        "CHILDWTH": str(len(living)) if status else "",
        "PREGNANT": ("Y" if unborn else "N") if service_user.sex == Sex.FEMALE else "",
        "CHILDSC": str(max((SOCIAL_CARE.get(c.child_status, 0) for c in living), default=0)) if status else "",
    }
    if not service_user.in_treatment_since:
        row.rejections.append("No date in treatment since: add it to their details")
    if answer == ChildrenAnswer.NOT_ASKED and not (living or elsewhere):
        row.rejections.append("Parental status unknown: children not asked about yet")
    if answer == ChildrenAnswer.NONE and (living or elsewhere):
        row.rejections.append("Recorded as having no children, but children are recorded with them: correct one")
    if answer == ChildrenAnswer.LIVING and not living:
        row.rejections.append("Said children live with them, but none is recorded in the household: add them")
    if answer == ChildrenAnswer.CONTACT and not elsewhere:
        row.rejections.append("Said they are in contact with children elsewhere, but none is recorded: add them")
    if service_user.sex == Sex.OTHER:
        row.rejections.append("Sex not stated: NDTMS needs it to read the pregnancy field")
    return row


def extract(episodes, month_end: date) -> list[Row]:
    return [row_for(su, month_end) for su in episodes]
