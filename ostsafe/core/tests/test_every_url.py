"""Every URL the service answers, for every actor (ostsafe.core.testing): the exact status code each one gets, every
refusal written to the access log, and every refused write saving nothing. A URL that is not in this table fails the
suite (`test_every_url_is_in_the_matrix`), so a new view cannot arrive without its permission test."""

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ostsafe.audit.models import AccessEvent
from ostsafe.core.testing import (
    ACTORS,
    APPROVE,
    ASSESS,
    AUDIT,
    CASELOAD_ROLES,
    CONSENT,
    CREATE,
    DISCUSS,
    EDIT,
    EXPECTED,
    ISSUE_BOX,
    NOTIFY,
    OVERSIGHT,
    PARTNER_ROLES,
    PLAN,
    PRESCRIBE,
    RECORD_STORAGE,
    REFER,
    REPORT,
    RESPOND,
    SHARED,
    VIEW,
    VISIT,
    refusals_for,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
EVERYONE = set(ACTORS)
# Role-level permissions (not about one household): who holds each, as data written independently of the role table.
MANAGERS = {"manager", "manager_other_service", "administrator"}
REPORT_READERS = MANAGERS | {"commissioner"}
COUNTER = {"pharmacist", "administrator"}
BOX_STOCK = {
    "keyworker",
    "keyworker_other_team",
    "manager",
    "manager_other_service",
    "administrator",
    "pharmacist",
    "harm_reduction_worker",
}
BOX_ISSUERS = {"keyworker", "keyworker_other_team", "manager", "manager_other_service", "administrator"}
STORAGE_ROLES = BOX_ISSUERS
DISPENSING_READERS = CASELOAD_ROLES | {"pharmacist"}
EDITORS = {"keyworker", "keyworker_other_team", "manager", "manager_other_service", "administrator"}


@dataclass
class Url:
    name: str
    args: object = lambda w: []  # world -> reverse() args
    may: str | set = VIEW  # an EXPECTED key, or the actors allowed
    ok: int = 200  # what an allowed GET answers
    refused: int = 403  # what a refused GET answers
    writes: bool = False  # a page that saves on POST: refused POSTs are tried too
    household: bool = True  # refusals are audited against the world's household
    also_ok: dict = field(default_factory=dict)  # actor -> another status an allowed actor gets (a redirect home)
    method: str = "get"  # how the probe asks: POST for endpoints that only take POST (an empty body: 400 if allowed)

    def allowed(self, actor) -> bool:
        return actor in (EXPECTED[self.may] if isinstance(self.may, str) else self.may)


def H(w):
    return [w.household.pk]


def LETTER(w):
    return [w.household.pk, w.letter.pk]


def REFERRAL(w):
    return [w.household.pk, w.referral.pk]


URLS = [
    # Signing in and your account: every signed-in person, whatever their role.
    Url(
        "core:home",
        may=EVERYONE,
        household=False,
        also_ok=dict.fromkeys(CASELOAD_ROLES | {"pharmacist", "commissioner"} | PARTNER_ROLES, 302),
    ),
    Url("accounts:login", may=EVERYONE, ok=302, household=False),
    Url("accounts:logout", may=EVERYONE, ok=405, household=False),
    Url("accounts:stay_signed_in", may=EVERYONE, ok=405, household=False),
    Url("accounts:two_factor_setup", may=EVERYONE, household=False),
    Url("accounts:two_factor_verify", may=EVERYONE, household=False),
    Url("accounts:password_reset", may=EVERYONE, household=False),
    Url("accounts:password_reset_sent", may=EVERYONE, household=False),
    Url("accounts:password_reset_confirm", lambda w: ["MQ", "not-a-token"], may=EVERYONE, household=False),
    Url("accounts:password_reset_complete", may=EVERYONE, household=False),
    Url("accounts:account", may=EVERYONE, household=False),
    Url("accounts:password_change", may=EVERYONE, household=False),
    Url("accounts:authenticator_remove", lambda w: [987654], may=EVERYONE, ok=405, household=False),
    Url("accounts:api_token_create", may=EVERYONE, household=False),
    Url("accounts:api_token_revoke", lambda w: [987654], may=EVERYONE, ok=405, household=False),
    # Families
    Url("families:caseload", may=CASELOAD_ROLES, household=False),
    Url("families:register", may=CREATE, writes=True, household=False),
    Url("families:household", H),
    Url("families:household_edit", H, EDIT, writes=True),
    Url("families:service_user", lambda w: [w.household.pk, w.service_user.pk]),
    Url("families:service_user_edit", lambda w: [w.household.pk, w.service_user.pk], EDIT, writes=True),
    Url("families:service_user_add", H, EDIT, writes=True),
    Url("families:member_add", lambda w: [w.household.pk, "child"], EDIT, writes=True),
    Url("families:member_edit", lambda w: [w.household.pk, w.adult.pk], EDIT, writes=True),
    Url("families:child_contact_add", lambda w: [w.household.pk, w.service_user.pk], EDIT, writes=True),
    Url(
        "families:child_contact_edit",
        lambda w: [w.household.pk, w.service_user.pk, w.child_contact.pk],
        EDIT,
        writes=True,
    ),
    Url("families:involvement_add", H, EDIT, writes=True),
    Url("families:involvement_edit", lambda w: [w.household.pk, w.involvement.pk], EDIT, writes=True),
    # Prescribing
    Url("prescribing:overrides", may=MANAGERS, household=False),
    Url("management:dashboard", may=MANAGERS, household=False),
    Url("management:missing", lambda w: ["storage_seen"], may=MANAGERS, household=False),
    Url("management:missing_csv", lambda w: ["storage_seen"], may=MANAGERS, household=False),
    Url("management:supervision", H),
    Url("management:record_supervision", H, DISCUSS, writes=True),
    Url("management:supervision_due", may=MANAGERS, household=False),
    Url("management:training", may=MANAGERS, household=False),
    Url("management:record_training", may=MANAGERS, writes=True, household=False),
    Url("interop:ndtms", may=MANAGERS, household=False),
    Url("interop:ndtms_csv", may=MANAGERS, household=False),
    Url("management:report", may=REPORT_READERS, household=False),
    Url("management:report_csv", may=REPORT_READERS, household=False),
    Url("management:report_pdf", may=REPORT_READERS, household=False),
    Url("prescribing:today", may={"prescriber", "prescriber_other_team", "administrator"}, household=False),
    Url("prescribing:take_home_review", lambda w: [w.household.pk, w.prescription.pk], OVERSIGHT, writes=True),
    Url("prescribing:add", lambda w: [w.household.pk, w.service_user.pk], PRESCRIBE, writes=True),
    Url("prescribing:edit", lambda w: [w.household.pk, w.prescription.pk], PRESCRIBE, writes=True),
    # Access log
    Url("audit:events", may=MANAGERS, household=False),
    Url("audit:household", H, AUDIT),
    # Tasks
    Url("tasks:mine", may=CASELOAD_ROLES, household=False),
    Url("tasks:team", may=CASELOAD_ROLES, household=False),
    Url("tasks:complete", lambda w: [w.household.pk, w.task.pk], VIEW, writes=True),
    # Assessment
    Url("assessments:tab", H),
    Url("assessments:start", H, ASSESS, writes=True),
    Url("assessments:detail", lambda w: [w.household.pk, w.assessment.pk]),
    Url("assessments:answer", lambda w: [w.household.pk, w.assessment.pk], ASSESS),
    Url("assessments:answer_all", lambda w: [w.household.pk, w.assessment.pk], ASSESS, writes=True),
    Url("assessments:section", lambda w: [w.household.pk, w.assessment.pk, "child"], ASSESS, writes=True),
    Url("assessments:decide", lambda w: [w.household.pk, w.assessment.pk], ASSESS, writes=True),
    Url("assessments:pre_birth_request", H, ASSESS, writes=True),
    Url("assessments:pre_birth_outcome", lambda w: [w.household.pk, w.pre_birth.pk], ASSESS, writes=True),
    # Visits
    Url("visits:tab", H),
    Url("visits:plan", H, VISIT, writes=True),
    Url("visits:record", H, VISIT, writes=True),
    Url("visits:storage_check", lambda w: [w.household.pk, w.visit.pk, w.service_user.pk], VISIT, writes=True),
    # Storage
    Url("storage:tab", H),
    Url("storage:issue_box", lambda w: [w.household.pk, w.service_user.pk], ISSUE_BOX, writes=True),
    Url("storage:return_box", lambda w: [w.household.pk, w.service_user.pk, w.box.pk], RECORD_STORAGE, writes=True),
    Url("storage:must_share", lambda w: [w.household.pk, w.service_user.pk], RECORD_STORAGE, writes=True),
    Url("storage:leaflet_given", lambda w: [w.household.pk, w.service_user.pk], RECORD_STORAGE, writes=True),
    Url("storage:stock", may=BOX_STOCK, writes=True, household=False),
    Url("storage:issue_in_person", may=BOX_ISSUERS | {"harm_reduction_worker"}, writes=True, household=False),
    Url("storage:needed", may=CASELOAD_ROLES, household=False),
    Url("storage:leaflet_pdf", may=STORAGE_ROLES, household=False),
    # Agreements and plans
    Url("plans:agreement", H),
    Url("plans:agreement_draft", H, PLAN, writes=True),
    Url("plans:agreement_detail", lambda w: [w.household.pk, w.agreement.pk]),
    Url("plans:agreement_pdf", lambda w: [w.household.pk, w.agreement.pk]),
    Url("plans:agreement_scan", lambda w: [w.household.pk, w.agreement.pk], ok=404),  # no scan uploaded
    Url("plans:agreement_sign", lambda w: [w.household.pk, w.agreement.pk], PLAN, writes=True),
    Url("plans:agreement_paper", lambda w: [w.household.pk, w.agreement.pk], PLAN, writes=True),
    Url("plans:agreement_not_forthcoming", lambda w: [w.household.pk, w.agreement.pk], PLAN, writes=True),
    # A signed agreement only (the world's is a draft), for a partner whose consent covers it.
    Url("plans:shared_agreement_pdf", lambda w: [w.household.pk, w.agreement.pk], SHARED, ok=404),
    Url("plans:plan", H),
    Url("plans:plan_start", H, PLAN, writes=True),
    Url("plans:action_add", H, PLAN, writes=True),
    Url("plans:action_change", lambda w: [w.household.pk, w.plan_action.pk], PLAN, writes=True),
    Url("plans:review", H, PLAN, writes=True),
    Url("plans:meeting", H, PLAN, writes=True),
    Url("plans:strength_add", H, PLAN, writes=True),
    Url("plans:family_copy", H, PLAN, writes=True),
    Url("plans:family_copy_pdf", H, PLAN),
    Url("assessments:family_view_add", H, ASSESS, writes=True),
    Url("plans:disagreement_add", H, PLAN, writes=True),
    Url("plans:disagreement_settle", lambda w: [w.household.pk, w.disagreement.pk], PLAN, writes=True),
    # Pharmacy and monitoring. The world's pharmacist works at another pharmacy than the world's prescription's.
    Url("pharmacy:counter", may=COUNTER, household=False),
    Url("pharmacy:record", may=COUNTER, ok=405, writes=True, household=False),
    Url("pharmacy:records_delayed", may=COUNTER, writes=True, household=False),
    Url("pharmacy:undo", lambda w: [w.dispensing.pk], may={"administrator"}, ok=405, writes=True, household=False),
    Url("pharmacy:correct", lambda w: [w.dispensing.pk], may={"administrator"}, writes=True, household=False),
    # GET is not allowed at all; which pharmacist may close which period is tried in pharmacy's own tests.
    Url("pharmacy:records_arrived", lambda w: [w.delay.pk], may=COUNTER, ok=405, writes=True, household=False),
    Url("pharmacy:concern", lambda w: [w.prescription.pk], may={"administrator"}, writes=True, household=False),
    Url("pharmacy:tab", H),
    Url("monitoring:appointment", H, EDIT, writes=True),
    Url("monitoring:test_result", H, EDIT, writes=True),
    Url("monitoring:concern", H, EDIT, writes=True),
    # Warning signs
    Url("curiosity:tab", H),
    Url("curiosity:raise", H, RESPOND, writes=True),
    Url("curiosity:observe", H, RESPOND, writes=True),
    Url("curiosity:acknowledge", lambda w: [w.household.pk, w.flag.pk], RESPOND, writes=True),
    # Sharing
    Url("sharing:tab", H),
    Url("sharing:consent_add", H, CONSENT, writes=True),
    Url("sharing:consent_withdraw", lambda w: [w.household.pk, w.consent.pk], CONSENT, writes=True),
    Url("sharing:team_discussion", lambda w: [w.household.pk, w.refused_consent.pk], DISCUSS, writes=True),
    Url("sharing:shared_with_me", may=PARTNER_ROLES | {"administrator"}, household=False),
    Url("sharing:shared", H, SHARED),
    Url("sharing:letter_draft", lambda w: [w.household.pk, w.consent.pk], NOTIFY, ok=405, writes=True),
    Url("sharing:letter", LETTER),
    Url("sharing:letter_send", LETTER, NOTIFY, writes=True),
    Url("sharing:letter_cancel", LETTER, NOTIFY, writes=True),
    Url("sharing:letter_call", LETTER, NOTIFY, writes=True),
    Url("sharing:letter_pdf", LETTER),
    # A letter is its recipient's to read: the health visitor it was sent to, not an administrator.
    Url("sharing:shared_letter", LETTER, {"health_visitor"}),
    Url("sharing:shared_letter_pdf", LETTER, {"health_visitor"}),
    Url("sharing:shared_letter_acknowledge", LETTER, {"health_visitor"}, ok=302, writes=True, method="post"),
    Url("sharing:partner_report", H, REPORT, writes=True),
    # Break-glass: for treatment staff outside the family's usual reach (not partners, not administrators).
    Url(
        "sharing:break_glass",
        H,
        {"keyworker_other_team", "prescriber_other_team", "manager_other_service"},
        writes=True,
    ),
    Url("sharing:break_glass_list", may=MANAGERS, household=False),
    Url(
        "sharing:break_glass_review",
        lambda w: [w.grant.pk],
        MANAGERS,
        household=False,
        also_ok={"manager_other_service": 404},  # another service's grant into another service's family
        writes=True,
    ),
    Url("sharing:chronology", H),
    Url("sharing:chronology_pdf", H),
    Url("sharing:shared_chronology", H, SHARED),
    Url("sharing:decision_add", H, CONSENT, writes=True),
    Url("sharing:decision_approve", lambda w: [w.household.pk, w.decision.pk], APPROVE, writes=True),
    Url("sharing:referral_add", H, REFER, writes=True),
    Url("sharing:referral", REFERRAL),
    Url("sharing:referral_pdf", REFERRAL),
    Url("sharing:referral_send", REFERRAL, REFER, ok=302, writes=True, method="post"),
    Url("sharing:referral_response", REFERRAL, REFER, writes=True),
    Url("sharing:referral_close", REFERRAL, REFER, writes=True),
    # API: reading (writes are tried with ids out of reach in test_out_of_reach, and per app)
    Url("household-list", may=CASELOAD_ROLES, household=False),
    Url("household-detail", H),
    Url("household-chronology", H),
    Url("service-user-list", may=CASELOAD_ROLES, household=False),
    Url("service-user-detail", lambda w: [w.service_user.pk]),
    Url("household-member-list", may=CASELOAD_ROLES, household=False),
    Url("household-member-detail", lambda w: [w.child.pk]),
    Url("child-contact-list", may=CASELOAD_ROLES, household=False),
    Url("child-contact-detail", lambda w: [w.child_contact.pk]),
    Url("involvement-list", may=CASELOAD_ROLES, household=False),
    Url("involvement-detail", lambda w: [w.involvement.pk]),
    Url("prescription-list", may=CASELOAD_ROLES, household=False),
    Url("prescription-detail", lambda w: [w.prescription.pk]),
    Url("take-home-decision-list", may=CASELOAD_ROLES, household=False),
    Url("take-home-decision-detail", lambda w: [w.decision.pk]),
    Url("assessment-list", may=CASELOAD_ROLES, household=False),
    Url("assessment-detail", lambda w: [w.assessment.pk]),
    Url("assessment-answers", lambda w: [w.assessment.pk], ASSESS, ok=400, method="post"),
    Url("assessment-complete", lambda w: [w.assessment.pk], ASSESS, ok=400, method="post"),
    Url("home-visit-list", may=CASELOAD_ROLES, household=False),
    Url("home-visit-detail", lambda w: [w.visit.pk]),
    Url("storage-check-list", may=CASELOAD_ROLES, household=False),
    Url("storage-check-detail", lambda w: [w.storage_check.pk]),
    Url("safety-box-list", may=CASELOAD_ROLES, household=False),
    Url("safety-box-detail", lambda w: [w.box.pk]),
    Url(
        "safety-box-issue-in-person",
        may=BOX_ISSUERS | {"harm_reduction_worker"},
        ok=400,
        method="post",
        household=False,
    ),
    Url("task-list", may=CASELOAD_ROLES, household=False),
    Url("task-detail", lambda w: [w.task.pk]),
    Url("task-complete", lambda w: [w.task.pk], VIEW, ok=400, method="post"),
    Url("guidance-agreement-list", may=CASELOAD_ROLES, household=False),
    Url("guidance-agreement-detail", lambda w: [w.agreement.pk]),
    Url("guidance-agreement-sign", lambda w: [w.agreement.pk], PLAN, ok=400, method="post"),
    Url("safety-plan-list", may=CASELOAD_ROLES, household=False),
    Url("safety-plan-detail", lambda w: [w.plan_action.plan_id]),
    Url("safety-plan-actions", lambda w: [w.plan_action.plan_id], PLAN, ok=400, method="post"),
    Url("dispensing-list", may=DISPENSING_READERS, household=False),
    Url("dispensing-detail", lambda w: [w.dispensing.pk]),
    Url("appointment-list", may=CASELOAD_ROLES, household=False),
    Url("appointment-detail", lambda w: [w.appointment.pk]),
    Url("test-result-list", may=CASELOAD_ROLES, household=False),
    Url("test-result-detail", lambda w: [w.test_result.pk]),
    Url("concern-list", may=CASELOAD_ROLES, household=False),
    Url("concern-detail", lambda w: [w.concern.pk]),
    Url("consent-list", may=CASELOAD_ROLES, household=False),
    Url("consent-detail", lambda w: [w.consent.pk]),
    Url("consent-withdraw", lambda w: [w.consent.pk], CONSENT, ok=400, method="post"),
    Url("consent-team-discussion", lambda w: [w.refused_consent.pk], DISCUSS, ok=400, method="post"),
    Url("shared-household-list", may=PARTNER_ROLES | {"administrator"}, household=False),
    Url("shared-household-detail", H, SHARED),
    Url("shared-household-chronology", H, SHARED),
    Url("notification-list", may=CASELOAD_ROLES, household=False),
    Url("notification-detail", lambda w: [w.letter.pk]),
    Url("notification-send", lambda w: [w.letter.pk], NOTIFY, ok=400, method="post"),
    Url("notification-not-sent", lambda w: [w.letter.pk], NOTIFY, ok=400, method="post"),
    Url("notification-follow-up-call", lambda w: [w.letter.pk], NOTIFY, ok=400, method="post"),
    Url("notification-acknowledge", lambda w: [w.letter.pk], {"health_visitor"}, method="post"),
    Url("sharing-decision-list", may=CASELOAD_ROLES, household=False),
    Url("sharing-decision-detail", lambda w: [w.decision.pk]),
    Url("sharing-decision-approve", lambda w: [w.decision.pk], APPROVE, ok=400, method="post"),
    Url("referral-list", may=CASELOAD_ROLES, household=False),
    Url("referral-detail", lambda w: [w.referral.pk]),
    Url("referral-sent", lambda w: [w.referral.pk], REFER, ok=400, method="post"),
    Url("referral-response", lambda w: [w.referral.pk], REFER, ok=400, method="post"),
    Url("referral-closed", lambda w: [w.referral.pk], REFER, ok=400, method="post"),
    Url("break-glass-list", may=MANAGERS, household=False),
    Url(
        "break-glass-review",
        lambda w: [w.grant.pk],
        MANAGERS,
        ok=400,
        method="post",
        household=False,
        also_ok={"manager_other_service": 404},
    ),
    Url("warning-sign-list", may=CASELOAD_ROLES, household=False),
    Url("warning-sign-detail", lambda w: [w.flag.pk]),
    Url("warning-sign-acknowledge", lambda w: [w.flag.pk], RESPOND, ok=400, method="post"),
    Url("warning-sign-observation-list", may=CASELOAD_ROLES, household=False),
    Url("warning-sign-observation-detail", lambda w: [w.observation.pk]),
    Url("partner-report-list", may=CASELOAD_ROLES, household=False),
    Url("partner-report-detail", lambda w: [w.report.pk]),
    Url("dispensing-batch", may=COUNTER, ok=400, method="post", household=False),
    Url("appointment-batch", may=EDITORS, ok=400, method="post", household=False),
    # A family's record exported as FHIR: the family in reach, and a role that may export (the family's managers).
    Url("fhir-household", H, may={"manager", "administrator"}),
    # Family members supported in their own right: the family's tab; changes by those who record the family.
    Url("carers:tab", H),
    Url("carers:record", lambda w: [w.household.pk, w.adult.pk], EDIT, writes=True),
    Url("carers:needs", lambda w: [w.household.pk, w.carer.pk], EDIT, writes=True),
    Url("carers:offer", lambda w: [w.household.pk, w.carer.pk], EDIT, writes=True),
    Url("carers:outcome", lambda w: [w.household.pk, w.support_offer.pk], EDIT, writes=True),
    # The local map of services: everyone reads it; managers and administrators keep it; managers see which the
    # families work with.
    Url("directory:directory", may=EVERYONE, household=False),
    Url("directory:service", lambda w: [w.local_service.pk], may=EVERYONE, household=False),
    Url("directory:add", may=MANAGERS, writes=True, household=False),
    Url("directory:change", lambda w: [w.local_service.pk], may=MANAGERS, writes=True, household=False),
    Url("directory:retire", lambda w: [w.local_service.pk], may=MANAGERS, writes=True, household=False),
    Url("management:services_in_use", may=MANAGERS, household=False),
    Url("local-service-list", may=EVERYONE, household=False),
    Url("local-service-detail", lambda w: [w.local_service.pk], may=EVERYONE, household=False),
    Url("core:health", may=EVERYONE, household=False),
    Url("api-schema", may=EVERYONE, household=False),
    Url("api-docs", may=EVERYONE, household=False),
]
BY_NAME = {url.name: url for url in URLS}


@pytest.fixture(scope="module")
def _everything(_module_world, django_db_blocker):
    """The module's world, with one of every record a URL names (inside the module's rolled-back transaction)."""
    from ostsafe.assessments import services as assessments
    from ostsafe.carers import services as carers
    from ostsafe.directory import services as directory
    from ostsafe.monitoring import services as monitoring
    from ostsafe.pharmacy import services as pharmacy
    from ostsafe.pharmacy.models import DispensingRecord
    from ostsafe.plans import services as plans
    from ostsafe.prescribing.models import TakeHomeDecision
    from ostsafe.sharing import services as sharing
    from ostsafe.storage import services as storage
    from ostsafe.tasks import services as tasks
    from ostsafe.visits import services as visits

    w = _module_world
    keyworker = w.users["keyworker"]
    with django_db_blocker.unblock():
        w.local_service = directory.add_local_service(
            added_by=w.users["manager"],
            name="Acorn Family Support",
            kind="family_support",
            what_they_do="Support for parents and carers",
            phone="01632 960 000",
        )
        w.carer = carers.record_carer(
            household=w.household,
            member=w.adult,
            cares_for="Looks after the children",
            support_needs="Someone to talk to",
            identified_on=TODAY,
            recorded_by=keyworker,
        )
        w.support_offer = carers.offer_support(
            carer=w.carer, service=w.local_service, kind="signposted", offered_on=TODAY, offered_by=keyworker
        )
        w.assessment = assessments.start_assessment(
            household=w.household, service_user=w.service_user, started_by=keyworker
        )
        w.pre_birth = assessments.record_pre_birth_request(
            household=w.household,
            service_user=w.service_user,
            requested_on=TODAY,
            requested_to="CSC",
            requested_by=keyworker,
        )
        w.visit = visits.record_home_visit(
            household=w.household,
            visited_on=TODAY,
            recorded_by=keyworker,
            visitors=[keyworker],
            service_users_seen=[w.service_user],
            child_observations=[(w.child, True, "")],
        )
        w.storage_check = visits.record_storage_check(
            visit=w.visit,
            service_user=w.service_user,
            checked_by=keyworker,
            verification="claimed",
            location="Kitchen",
            out_of_sight_and_reach=True,
            locked_box_in_use=False,
            box_locked=False,
            other_substances_safe=True,
            empty_bottles_disposed=True,
            satisfied=False,
        )
        storage.record_box_movement(
            site=keyworker.organisation, kind="received", quantity=2, on=TODAY, recorded_by=keyworker
        )
        w.box = storage.issue_safety_box(
            service_user=w.service_user,
            site=keyworker.organisation,
            issued_on=TODAY,
            issued_by=keyworker,
            acknowledgement_signed=True,
        )
        w.agreement = plans.draft_agreement(
            household=w.household,
            service_user=w.service_user,
            expectations="Box locked",
            drafted_by=keyworker,
            drafted_on=TODAY,
        )
        plan = plans.start_safety_plan(household=w.household, created_by=keyworker, created_on=TODAY)
        w.plan_action = plans.add_plan_action(
            plan=plan, expectation="Top shelf", why="Climbs", owner="Mum", due_on=TODAY, added_by=keyworker, as_of=TODAY
        )
        w.disagreement = plans.record_disagreement(
            plan=plan,
            about="Whether the uncle can babysit",
            whose_view="Mum",
            family_view="He is family",
            practitioner_view="He uses heroin",
            raised_on=TODAY,
            raised_by=keyworker,
        )
        w.task = tasks.create_task(title="Call", household=w.household, assignee=keyworker, due_on=TODAY)
        w.delay = pharmacy.mark_records_delayed(
            pharmacy=w.prescription.pharmacy, starts_on=TODAY, ends_on=TODAY, reason="Outage", recorded_by=keyworker
        )
        w.dispensing = DispensingRecord.objects.create(prescription=w.prescription, expected_on=TODAY, outcome="missed")
        w.decision = TakeHomeDecision.objects.create(
            prescription=w.prescription, decided_by=w.users["prescriber"], decided_on=TODAY, all_checks_met=True
        )
        w.appointment = monitoring.record_appointment(
            service_user=w.service_user, kind="keywork", on=TODAY, outcome="attended", recorded_by=keyworker
        )
        w.test_result = monitoring.record_test_result(
            service_user=w.service_user,
            recorded_by=keyworker,
            taken_on=TODAY,
            substance="cocaine",
            method="urine",
            positive=False,
        )
        w.concern = monitoring.record_concern(
            household=w.household,
            recorded_by=keyworker,
            source="school",
            category="other",
            description="x",
            received_on=TODAY,
        )
        w.refused_consent = sharing.record_consent(
            household=w.household,
            service_user=w.service_user,
            recipient=w.household.network.get(professional=w.users["school_nurse"]),
            purpose="safety_plan",
            decision="refused",
            decided_on=TODAY,
            recorded_by=keyworker,
        )
        w.letter = sharing.send_notification(
            notification=sharing.draft_routine_notification(consent=w.consent, drafted_by=keyworker), sent_by=keyworker
        )
        w.report = sharing.record_partner_report(
            household=w.household,
            reported_by=w.users["health_visitor"],
            kind="missed_immunisation",
            child=w.child,
            happened_on=TODAY,
            details="12-month immunisations missed twice",
        )
        w.decision = sharing.record_sharing_decision(
            household=w.household,
            service_user=w.service_user,
            recipient=w.household.network.get(professional=w.users["school_nurse"]),
            share=True,
            scopes=["summary", "safety_plan"],
            reason="Significant harm: medicine found within reach twice",
            article_6_basis="public_task",
            special_category_condition="safeguarding",
            family_told=True,
            decided_on=TODAY,
            valid_until=TODAY + datetime.timedelta(days=90),
            recorded_by=keyworker,
            approve_now=False,
        )
        w.referral = sharing.send_referral(
            referral=sharing.record_referral(
                household=w.household,
                children=[w.child],
                sent_to="Riverside MASH",
                concerns="Methadone bottle found open on the kitchen table",
                how_concerns_arose="Home visit",
                first_hand="Seen at the visit",
                parents_know=True,
                whereabouts="At home",
                referrer_contact="01632 960000",
                made_by=keyworker,
                made_on=TODAY,
            ),
            sent_by=keyworker,
        )
        from ostsafe.accounts.tests.factories import UserFactory
        from ostsafe.core.roles import Role
        from ostsafe.sharing.models import BreakGlassGrant

        outsider = UserFactory(
            role=Role.KEYWORKER,
            organisation=w.household.team.organisation,
            team=w.users["keyworker_other_team"].team,
        )
        w.grant = sharing.grant_break_glass(user=outsider, household=w.household, reason="Service user unwell at hub")
        # Ended, so that it opens the family to nobody while the URLs are tried.
        BreakGlassGrant.objects.filter(pk=w.grant.pk).update(
            granted_at=w.grant.granted_at - datetime.timedelta(hours=6),
            expires_at=w.grant.granted_at - datetime.timedelta(hours=2),
        )
        from ostsafe.curiosity import services as curiosity

        w.flag = curiosity.raise_by_hand(
            household=w.household,
            sign_key="disguised_compliance",
            reason="Full attendance only before reviews",
            raised_by=keyworker,
        )
        w.observation = curiosity.record_observation(
            household=w.household,
            service_user=w.service_user,
            kind="sudden_compliance",
            noticed_on=datetime.date.today(),
            note="Agreed at once to supervised consumption",
            recorded_by=keyworker,
        )
        w.dose = Decimal("60")
    return w


@pytest.fixture
def w(_everything, db):
    return copy.deepcopy(_everything)


def _url(entry: Url, w) -> str:
    return reverse(entry.name, args=entry.args(w))


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("entry", URLS, ids=[url.name for url in URLS])
def test_each_actor_gets_the_exact_answer_at_every_url(client, w, actor, entry):
    user = w.users[actor]
    client.force_login(user)
    if entry.method == "post":
        response = client.post(_url(entry, w), {}, content_type="application/json")
    else:
        response = client.get(_url(entry, w))
    if entry.allowed(actor):
        expected = entry.also_ok.get(actor, entry.ok)
        assert response.status_code == expected, f"{actor} at {entry.name}: {response.status_code}, not {expected}"
    else:
        assert response.status_code == entry.refused, f"{actor} at {entry.name}: {response.status_code}"
        refusals = refusals_for(user, w.household.pk if entry.household else None)
        assert refusals.exists(), f"the refusal of {actor} at {entry.name} was not written to the access log"


def _rows() -> dict[str, int]:
    """How many rows every model of the service holds (the access log aside): a refused write changes none."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"audit", "sessions", "axes", "admin", "contenttypes", "auth"}
    }


WRITES = [url for url in URLS if url.writes]


@pytest.mark.parametrize("entry", WRITES, ids=[url.name for url in WRITES])
def test_refused_writes_save_nothing_and_are_written_down(client, w, entry):
    before = _rows()
    for actor in ACTORS:
        if entry.allowed(actor):
            continue
        user = w.users[actor]
        client.force_login(user)
        refusals = AccessEvent.objects.filter(user=user, outcome="refused").count()
        response = client.post(_url(entry, w), {"anything": "x", "given_name": "Intruder", "reason": "x"})
        assert response.status_code == 403, f"{actor} posting to {entry.name}: {response.status_code}"
        assert AccessEvent.objects.filter(user=user, outcome="refused").count() > refusals
    assert _rows() == before


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    """Django's admin has its own staff checks (and its own test); every other named URL is in the table above."""
    names = {name for name in _url_names(get_resolver().url_patterns) if not name.startswith("admin:")}
    assert names - set(BY_NAME) == set(), "add these URLs to the matrix, with who may reach them"
    assert set(BY_NAME) - names == set(), "these matrix rows name URLs that no longer exist"
