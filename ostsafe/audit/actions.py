"""Every kind of event the access log records, named once, with the words the access log page shows managers.

Services, views and API endpoints name these constants, never a loose string (a test enforces it). The gate's own
events are the role table's actions (`core.roles.Action`: "household.view" ...), core's plumbing events are in
`core.auditing`, and API reads and writes are "api.<endpoint>.<list|retrieve|create|update|...>".
"""

from django.db import models

from ostsafe.core.auditing import ANONYMOUS_API
from ostsafe.core.roles import Action


class AuditAction(models.TextChoices):
    ACCOUNT_API_TOKEN_ISSUE = "account.api_token_issue", "Made an API token"
    ACCOUNT_API_TOKEN_REVOKE = "account.api_token_revoke", "Revoked an API token"
    ACCOUNT_AUTHENTICATOR_ADD = "account.authenticator_add", "Added an authenticator app"
    ACCOUNT_AUTHENTICATOR_REMOVE = "account.authenticator_remove", "Removed an authenticator app"
    ACCOUNT_PASSWORD_CHANGE = "account.password_change", "Changed or reset their password"
    AGREEMENT_CONSENT_GIVEN = "agreement.consent_given", "Recorded consent to share the agreement"
    AGREEMENT_CONSENT_REFUSED = "agreement.consent_refused", "Recorded consent to share the agreement refused"
    AGREEMENT_DRAFT = "agreement.draft", "Drafted a guidance agreement"
    AGREEMENT_NOT_FORTHCOMING = "agreement.not_forthcoming", "Recorded the agreement as not signed"
    AGREEMENT_PDF = "agreement.pdf", "Printed the guidance agreement"
    AGREEMENT_SCAN = "agreement.scan", "Opened the scan of a signed agreement"
    AGREEMENT_SIGN = "agreement.sign", "Recorded the agreement as signed"
    AGREEMENT_VIEW = "agreement.view", "Read the guidance agreement"
    APPOINTMENT_IMPORT = "appointment.import", "Imported appointments"
    APPOINTMENT_RECORD = "appointment.record", "Recorded an appointment"
    ASSESSMENT_ANSWER = "assessment.answer", "Saved assessment answers"
    ASSESSMENT_COMPLETE = "assessment.complete", "Completed an assessment"
    ASSESSMENT_START = "assessment.start", "Started an assessment"
    ASSESSMENT_VIEW = "assessment.view", "Read the assessment"
    FAMILY_VIEW_RECORD = "assessment.family_view", "Recorded the views of an adult living with the children"
    AUDIT_LOG_VIEW = "audit.log.view", "Read the access log"
    BOXES_ISSUE = "boxes.issue", "Issued a safety box"
    BOXES_LOST = "boxes.lost", "Recorded safety boxes lost"
    BOXES_RECEIVED = "boxes.received", "Recorded safety boxes received"
    BOXES_RETURN = "boxes.return", "Recorded a safety box returned"
    BOXES_RETURNED = "boxes.returned", "Recorded safety boxes returned to stock"
    BREAK_GLASS_GRANT = "break_glass.grant", "Opened a family beyond their reach (break-glass)"
    BREAK_GLASS_LIST = "break_glass.list", "Listed break-glass access for review"
    BREAK_GLASS_REVIEW = "break_glass.review", "Reviewed break-glass access"
    CASELOAD_VIEW = "caseload.view", "Listed families on the caseload"
    CHILD_CONTACT_ADD = "child_contact.add", "Added a child in contact"
    CHILD_CONTACT_UPDATE = "child_contact.update", "Changed a child in contact"
    CHRONOLOGY_PDF = "chronology.pdf", "Printed the family chronology"
    CHRONOLOGY_VIEW = "chronology.view", "Read the family chronology"
    CONCERN_RECORD = "concern.record", "Recorded a concern"
    CONSENT_GIVEN = "consent.given", "Recorded consent to share as given"
    CONSENT_REFUSED = "consent.refused", "Recorded consent to share as refused"
    CONSENT_WITHDRAW = "consent.withdraw", "Recorded consent to share as withdrawn"
    DISPENSING_COLLECTED = "dispensing.collected", "Recorded a dose collected"
    DISPENSING_COUNTER = "dispensing.counter", "Listed today's doses at the counter"
    DISPENSING_UNDONE = "dispensing.undone", "Undid a dose recorded in the last minutes"
    DISPENSING_CORRECTED = "dispensing.corrected", "Corrected a dose record, with a reason"
    DISPENSING_IMPORT = "dispensing.import", "Imported dispensing records"
    DISPENSING_MISSED = "dispensing.missed", "Recorded a missed dose"
    DISPENSING_SUPERVISED = "dispensing.supervised", "Recorded a supervised dose"
    DISPENSING_VIEW = "dispensing.view", "Read the pharmacy and appointments tab"
    HOUSEHOLD_CREATE = "household.create", "Registered a household"
    HOUSEHOLD_UPDATE = "household.update", "Changed household details"
    MEETING_RECORD = "meeting.record", "Recorded a meeting"
    MEMBER_ADD = "member.add", "Added someone to the household"
    MEMBER_UPDATE = "member.update", "Changed a household member"
    NETWORK_ADD = "network.add", "Added a professional to the network"
    NETWORK_UPDATE = "network.update", "Changed the professional network"
    NOTIFICATION_ACKNOWLEDGE = "notification.acknowledge", "Acknowledged a letter sent to them"
    NOTIFICATION_CALL = "notification.call", "Recorded the follow-up call"
    NOTIFICATION_CANCEL = "notification.cancel", "Decided not to send a drafted letter"
    NOTIFICATION_DRAFT = "notification.draft", "Drafted a notification letter"
    NOTIFICATION_SEND = "notification.send", "Sent a notification letter"
    NOTIFICATION_VIEW = "notification.view", "Read a notification letter"
    PARTNER_REPORT = "partner_report.record", "Told the treatment service of an update, concern or child health event"
    PHARMACY_CONCERN = "pharmacy.concern", "Raised a pharmacy concern"
    PHARMACY_RECORDS_ARRIVED = "pharmacy.records_arrived", "Said late pharmacy records arrived"
    PHARMACY_RECORDS_DELAYED = "pharmacy.records_delayed", "Marked pharmacy records delayed"
    PLAN_ACTION_ADD = "plan.action_add", "Added a safety plan action"
    PLAN_ACTION_CHANGE = "plan.action_change", "Changed a safety plan action"
    PLAN_REVIEW = "plan.review", "Reviewed the safety plan"
    PLAN_REVIEW_SOONER = "plan.review_sooner", "The safety plan's next review made sooner (a higher risk level)"
    PLAN_START = "plan.start", "Started a safety plan"
    PLAN_VIEW = "plan.view", "Read the safety plan"
    PRESCRIBING_OVERRIDES = "prescribing.overrides", "Listed take-home overrides"
    PRESCRIBING_TAKE_HOME_REVIEWED = "prescribing.take_home_reviewed", "Reviewed take-home doses with a check not met"
    PRESCRIBING_TODAY = "prescribing.today", "Opened the prescriber's list"
    MANAGEMENT_DASHBOARD = "management.dashboard", "Opened the guide-compliance dashboard"
    MANAGEMENT_MISSING = "management.missing", "Listed the families missing a practice"
    SUPERVISION_RECORD = "supervision.record", "Recorded a case supervision"
    SUPERVISION_VIEW = "supervision.view", "Read the family's case supervisions"
    SUPERVISION_DUE = "supervision.due", "Listed the families due for case supervision"
    TRAINING_RECORD = "training.record", "Recorded training or a training need"
    TRAINING_VIEW = "training.view", "Opened the team's training"
    PLAN_FAMILY_COPY = "plan.family_copy", "Gave the family their copy of the plan"
    PLAN_FAMILY_COPY_VIEW = "plan.family_copy_view", "Read or printed the family's copy of the plan"
    PLAN_STRENGTH = "plan.strength", "Recorded something the family is doing well"
    PLAN_DISAGREEMENT = "plan.disagreement", "Recorded or settled a disagreement with the family"
    CARERS_VIEW = "carers.view", "Opened the family's Family support tab"
    CARER_RECORD = "carers.record", "Recorded a family member's own support needs"
    SUPPORT_OFFER = "carers.offer", "Signposted or referred a family member for support"
    SUPPORT_OUTCOME = "carers.outcome", "Recorded what came of signposting or a referral"
    DIRECTORY_CHANGE = "directory.change", "Added, changed or retired a local service or strategic group"
    DIRECTORY_API = "api.directory", "Read the directory of local services through the API"
    SERVICES_USED_VIEW = "directory.used", "Opened which local services the team works with"
    NDTMS_EXTRACT = "interop.ndtms", "Checked the NDTMS extract"
    NDTMS_DOWNLOAD = "interop.ndtms_download", "Downloaded the NDTMS extract"
    FHIR_EXPORT = "interop.fhir", "Exported the family's record as FHIR"
    MANAGEMENT_REPORT = "management.report", "Opened the commissioner's report (counts only)"
    MANAGEMENT_REPORT_DOWNLOAD = "management.report_download", "Downloaded the commissioner's report (counts only)"
    PRESCRIPTION_CHANGE = "prescription.change", "Changed a prescription"
    PRESCRIPTION_RECORD = "prescription.record", "Recorded a prescription"
    PRE_BIRTH_OUTCOME = "pre_birth.outcome", "Recorded a pre-birth assessment outcome"
    PRE_BIRTH_REQUEST = "pre_birth.request", "Recorded a pre-birth assessment request"
    REFERRAL_CLOSE = "referral.close", "Closed a child protection referral"
    REFERRAL_PDF = "referral.pdf", "Printed a child protection referral"
    REFERRAL_RECORD = "referral.record", "Wrote a child protection referral"
    REFERRAL_RESPONSE = "referral.response", "Recorded children's social care's acknowledgement or decision"
    REFERRAL_SEND = "referral.send", "Recorded a child protection referral as sent"
    REFERRAL_VIEW = "referral.view", "Read a child protection referral"
    SERVICE_USER_REGISTER = "service_user.register", "Registered a service user"
    SERVICE_USER_REGISTER_DUPLICATE = (
        "service_user.register.duplicate",
        "Tried to register an NHS number already registered",
    )
    SERVICE_USER_UPDATE = "service_user.update", "Changed a service user's details"
    SHARED_LIST = "shared.list", "Listed the families shared with them"
    SHARING_DECISION_APPROVE = "sharing_decision.approve", "Approved, or not, a decision about sharing without consent"
    SHARING_DECISION_RECORD = "sharing_decision.record", "Recorded a decision to share, or not, without consent"
    SHARING_VIEW = "sharing.view", "Read the sharing tab"
    STORAGE_CHECK_RECORD = "storage_check.record", "Recorded a storage check"
    STORAGE_ISSUE_BOX_LOOKUP = "storage.issue_box.lookup", "Looked up a client in person to issue a box"
    STORAGE_LEAFLET = "storage.leaflet", "Recorded the leaflet as given"
    STORAGE_MUST_SHARE = "storage.must_share", "Recorded the safe storage conversation"
    STORAGE_NEEDS_BOX = "storage.needs_box", "Listed clients who need a safety box"
    STORAGE_VIEW = "storage.view", "Read the storage tab"
    TASKS_TEAM = "tasks.team", "Listed the team's tasks"
    TASKS_VIEW = "tasks.view", "Listed their tasks"
    TASK_CLOSE_BY_RULE = "task.close_by_rule", "A task closed when what it asked for happened"
    TASK_COMPLETE = "task.complete", "Completed a task"
    TASK_CREATE = "task.create", "A task was made"
    TASK_SOONER = "task.sooner", "A rule's task made due sooner (a higher risk level)"
    TEAM_DISCUSSION_RECORD = "team_discussion.record", "Recorded the team discussion about refused consent"
    TEST_RESULT_RECORD = "test_result.record", "Recorded a test result"
    VISITS_VIEW = "visits.view", "Read the visits tab"
    VISIT_PLAN = "visit.plan", "Planned a home visit"
    VISIT_RECORD = "visit.record", "Recorded a home visit"
    WARNING_SIGNS_EVALUATED = "warning_signs.evaluated", "Warning signs raised or cleared by their rules"
    WARNING_SIGNS_VIEW = "warning_signs.view", "Read the warning signs tab"
    WARNING_SIGN_ACKNOWLEDGE = "warning_sign.acknowledge", "Acknowledged a warning sign with what was done"
    WARNING_SIGN_OBSERVATION = (
        "warning_sign.observation",
        "Recorded something noticed that might suggest a warning sign",
    )
    WARNING_SIGN_RAISE = "warning_sign.raise", "Raised a warning sign by hand"


# The events of one kind that a choice decides (which outcome at the counter, which stock movement...).
DISPENSING_BY_OUTCOME = {
    "supervised": AuditAction.DISPENSING_SUPERVISED,
    "collected": AuditAction.DISPENSING_COLLECTED,
    "missed": AuditAction.DISPENSING_MISSED,
}
BOXES_BY_MOVEMENT = {
    "received": AuditAction.BOXES_RECEIVED,
    "returned": AuditAction.BOXES_RETURNED,
    "lost": AuditAction.BOXES_LOST,
}
# (agreement.consent_given / _refused stay named for the events written before consent moved to the sharing app.)
CONSENT_BY_DECISION = {"given": AuditAction.CONSENT_GIVEN, "refused": AuditAction.CONSENT_REFUSED}


_API_VERBS = {"list": "listed", "retrieve": "read", "create": "added", "update": "changed", "partial_update": "changed"}


def describe(action: str) -> str:
    """The words the access log page shows for an event: the catalogue's, the role table's, or the API's shape."""
    for choices in (AuditAction, Action):
        if action in choices.values:
            return str(choices(action).label)
    parts = action.split(".")
    if parts[0] == "api" and len(parts) == 3:
        what, verb = parts[1].replace("_", " "), parts[2]
        if verb == "named":
            return f"API: named a {what} beyond their reach, or none"
        return f"API: {_API_VERBS.get(verb, verb.replace('_', ' '))} {what} records"
    if action == ANONYMOUS_API:
        return "API: called without a working sign-in"
    return action
