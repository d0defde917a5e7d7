"""Roles and what each may do, declared once, as data.

Every access decision in OST Safe reads this table (through `ostsafe.core.access`). To change what a role may do,
change it here and the role x view tests will tell you every page and endpoint that moved.
"""

from dataclasses import dataclass

from django.db import models


class OrganisationType(models.TextChoices):
    TREATMENT_SERVICE = "treatment_service", "Drug and alcohol treatment service"
    COMMUNITY_PHARMACY = "community_pharmacy", "Community pharmacy"
    COMMUNITY_HEALTH = "community_health", "NHS community health (health visiting, school nursing)"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    GP_PRACTICE = "gp_practice", "GP practice"
    NEEDLE_EXCHANGE = "needle_exchange", "Needle exchange"
    LOCAL_AUTHORITY = "local_authority", "Local authority (commissioning)"


class Role(models.TextChoices):
    KEYWORKER = "keyworker", "Keyworker"
    PRESCRIBER = "prescriber", "Prescriber"
    TEAM_MANAGER = "team_manager", "Team manager"
    PHARMACIST = "pharmacist", "Pharmacist"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    SOCIAL_WORKER = "social_worker", "Social worker"
    GP_PRACTICE = "gp_practice", "GP practice (GP or practice nurse)"
    HARM_REDUCTION_WORKER = "harm_reduction_worker", "Harm-reduction worker"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMINISTRATOR = "administrator", "Administrator"


class Scope(models.TextChoices):
    """Which households a role reaches."""

    NONE = "none", "No household"
    # Partners (health visitors, school nurses, social workers): a household whose professional network they are in,
    # only while a consent given to them (or a decision to share with them) is current. What they see there is the
    # shared view, never the treatment record (their role has no VIEW_HOUSEHOLD).
    NETWORK = "network", "Households whose network they are in, while consent covers them"
    TEAM = "team", "Households of the user's own team"
    ORGANISATION = "organisation", "Households of the user's own service"
    ALL = "all", "Every household"


class Action(models.TextChoices):
    VIEW_HOUSEHOLD = "household.view", "See a family's record"
    EDIT_HOUSEHOLD = "household.edit", "Record who lives with whom, contacts and the professional network"
    CREATE_HOUSEHOLD = "household.create", "Register a new service user and household"
    EDIT_PRESCRIPTION = "prescription.edit", "Record and change prescriptions"
    VIEW_AUDIT = "audit.view", "Read the access log"
    RECORD_ASSESSMENT = "assessment.record", "Carry out whole-family risk assessments"
    RECORD_VISIT = "visit.record", "Plan and record home visits and storage checks"
    RECORD_STORAGE = "storage.record", "Record safe storage discussions and the leaflet"
    ISSUE_SAFETY_BOX = "storage.issue_box", "Issue a safety box to a service user"
    MANAGE_BOX_STOCK = "storage.stock", "Record safety-box stock at one's own site"
    VIEW_OVERSIGHT = "oversight.view", "See take-home overrides and other oversight lists"
    RECORD_PLAN = "plan.record", "Guidance agreements, safety plans, reviews and meetings"
    RECORD_DISPENSING = "dispensing.record", "Record doses at the counter of one's own pharmacy, and raise concerns"
    RECORD_CONSENT = "consent.record", "Record consent to share information, and its withdrawal"
    RECORD_TEAM_DISCUSSION = "consent.discuss", "Record the team discussion after consent to share is refused"
    APPROVE_SHARING = "sharing.approve", "Approve a decision to share without consent, and review break-glass access"
    REFER = "referral.record", "Make and record child protection referrals to children's social care"
    RESPOND_TO_WARNING_SIGN = "warning_sign.respond", "Acknowledge warning signs with what was done, or raise one"
    BREAK_GLASS = "household.break_glass", "Open a family's record beyond their reach in an emergency (break-glass)"
    SEND_NOTIFICATION = "notification.send", "Draft and send routine notifications and updates to partners"
    VIEW_SHARED = "shared.view", "See what has been shared with them about a family"
    REPORT_TO_SERVICE = "shared.report", "Tell the treatment service of updates, concerns and child health events"
    RECORD_SUPERVISION = "supervision.record", "Record case supervision of a family"
    RECORD_TRAINING = "training.record", "Record practitioners' training and training needs"
    EXPORT_RECORDS = "records.export", "Export records to other systems (the NDTMS extract, FHIR)"
    VIEW_REPORTS = "reports.view", "See the services' anonymised reports (counts only, small numbers hidden)"
    VIEW_DIRECTORY = "directory.view", "See the directory of local services and strategic groups"
    MANAGE_DIRECTORY = "directory.manage", "Keep the directory of local services and strategic groups"


@dataclass(frozen=True)
class RoleSpec:
    organisation_types: frozenset[str]
    household_scope: str
    actions: frozenset[str]
    has_caseload: bool = False
    # Actions the role may take for any service user who presents in person and is identified by NHS number and
    # date of birth, without seeing the family's record (needle-exchange staff issuing a safety box).
    identified_in_person: frozenset[str] = frozenset()
    # Which treatment services' anonymised reports the role sees (VIEW_REPORTS): every one, its own, or none.
    reports_scope: str = "none"


_ANY_ORG = frozenset(OrganisationType.values)
# Guide, "Managing practice": the local map of services is for everyone who works with the families (it names
# services, never a family).
_EVERYONE = frozenset({Action.VIEW_DIRECTORY})
_TREATMENT = frozenset({OrganisationType.TREATMENT_SERVICE})
_PRACTICE = _EVERYONE | frozenset(
    {
        Action.VIEW_HOUSEHOLD,
        Action.EDIT_HOUSEHOLD,
        Action.CREATE_HOUSEHOLD,
        Action.RECORD_ASSESSMENT,
        Action.RECORD_VISIT,
        Action.RECORD_STORAGE,
        Action.ISSUE_SAFETY_BOX,
        Action.MANAGE_BOX_STOCK,
        Action.RECORD_PLAN,
        Action.RECORD_CONSENT,
        Action.SEND_NOTIFICATION,
        Action.REFER,
        Action.BREAK_GLASS,
        Action.RESPOND_TO_WARNING_SIGN,
    }
)
# Guide, "Joint working": partners see what consent (or a recorded decision to share) allows, in a shared view.
_PARTNER = _EVERYONE | {Action.VIEW_SHARED, Action.REPORT_TO_SERVICE}

ROLES: dict[str, RoleSpec] = {
    Role.KEYWORKER: RoleSpec(
        _TREATMENT,
        Scope.TEAM,
        _PRACTICE,
        has_caseload=True,
    ),
    # Guide, "OST and risk reduction": safeguarding is a primary factor in prescribing decisions, so the
    # prescriber sees the whole family, but records only prescriptions.
    Role.PRESCRIBER: RoleSpec(
        _TREATMENT,
        Scope.TEAM,
        _EVERYONE | {Action.VIEW_HOUSEHOLD, Action.EDIT_PRESCRIPTION, Action.BREAK_GLASS},
        has_caseload=True,
    ),
    Role.TEAM_MANAGER: RoleSpec(
        _TREATMENT,
        Scope.ORGANISATION,
        _PRACTICE
        | {
            Action.VIEW_AUDIT,
            Action.VIEW_OVERSIGHT,
            Action.RECORD_TEAM_DISCUSSION,
            Action.APPROVE_SHARING,
            Action.VIEW_REPORTS,
            Action.RECORD_SUPERVISION,
            Action.RECORD_TRAINING,
            Action.EXPORT_RECORDS,
            Action.MANAGE_DIRECTORY,
        },
        has_caseload=True,
        reports_scope=Scope.ORGANISATION,
    ),
    Role.ADMINISTRATOR: RoleSpec(
        _ANY_ORG,
        Scope.ALL,
        frozenset(Action.values),
        has_caseload=True,
        reports_scope=Scope.ALL,
    ),
    # Guide, "Dispensing practice". Pharmacists reach no family's record: only the dispensing details of
    # prescriptions dispensed at their own pharmacy (see core.access.may_dispense).
    Role.PHARMACIST: RoleSpec(
        frozenset({OrganisationType.COMMUNITY_PHARMACY}),
        Scope.NONE,
        _EVERYONE | {Action.MANAGE_BOX_STOCK, Action.RECORD_DISPENSING},
    ),
    Role.HEALTH_VISITOR: RoleSpec(frozenset({OrganisationType.COMMUNITY_HEALTH}), Scope.NETWORK, _PARTNER),
    Role.SCHOOL_NURSE: RoleSpec(frozenset({OrganisationType.COMMUNITY_HEALTH}), Scope.NETWORK, _PARTNER),
    Role.SOCIAL_WORKER: RoleSpec(frozenset({OrganisationType.CHILDRENS_SOCIAL_CARE}), Scope.NETWORK, _PARTNER),
    Role.GP_PRACTICE: RoleSpec(frozenset({OrganisationType.GP_PRACTICE}), Scope.NETWORK, _PARTNER),
    # Guide, "Safe storage" good practice: the needle exchange gives out safety boxes to clients of the treatment
    # service, in partnership with it.
    Role.HARM_REDUCTION_WORKER: RoleSpec(
        frozenset({OrganisationType.NEEDLE_EXCHANGE}),
        Scope.NONE,
        _EVERYONE | {Action.ISSUE_SAFETY_BOX, Action.MANAGE_BOX_STOCK},
        identified_in_person=frozenset({Action.ISSUE_SAFETY_BOX}),
    ),
    # Guide, "Background": services are commissioned by the local authority. The commissioner sees counts for every
    # treatment service in the area, never a person (and never a count small enough to point to one).
    Role.COMMISSIONER: RoleSpec(
        frozenset({OrganisationType.LOCAL_AUTHORITY}),
        Scope.NONE,
        _EVERYONE | {Action.VIEW_REPORTS},
        reports_scope=Scope.ALL,
    ),
}


# `manage.py createsuperuser` makes an administrator.
SUPERUSER_ROLE = Role.ADMINISTRATOR

# Who may be named in which part of a record (the choices pages and the API offer, and what the models accept).
KEYWORKER_ROLES = frozenset({Role.KEYWORKER, Role.TEAM_MANAGER})
PRESCRIBER_ROLES = frozenset({Role.PRESCRIBER})
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER})
# Treatment-service staff who go on home visits (administrators do not visit families).
CASEWORK_ROLES = frozenset({Role.KEYWORKER, Role.PRESCRIBER, Role.TEAM_MANAGER})
# Who a routine notification goes to (guide: the health visitor for a child under 5, the school nurse for school age).
HEALTH_VISITOR_ROLES = frozenset({Role.HEALTH_VISITOR})
SCHOOL_NURSE_ROLES = frozenset({Role.SCHOOL_NURSE})
# Who reaches a family while a child protection referral about it is open (children's social care).
REFERRAL_ROLES = frozenset({Role.SOCIAL_WORKER})
NETWORK_ROLES = frozenset(
    {
        Role.KEYWORKER,
        Role.PRESCRIBER,
        Role.TEAM_MANAGER,
        Role.PHARMACIST,
        Role.HEALTH_VISITOR,
        Role.SCHOOL_NURSE,
        Role.SOCIAL_WORKER,
        Role.GP_PRACTICE,
        Role.HARM_REDUCTION_WORKER,
    }
)


def spec_for(role: str) -> RoleSpec:
    return ROLES[role]
