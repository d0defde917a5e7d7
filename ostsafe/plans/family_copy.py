"""The family's own copy of the safety plan: what was agreed, who does it, by when and why, how it is going, what
they are doing well and what is still to talk about, in words written for a parent rather than a professional. The
same content makes the page and the PDF, and its reading level is measured (textstat) and shown to the practitioner
before they print it."""

import re
from dataclasses import dataclass, field
from datetime import date

import textstat

from ostsafe.families import selectors as families

from .models import ActionStatus, FamilyCopy, SafetyPlan

# Guide to plain English (GOV.UK content design): aim for a reading age of 9; above 11, most readers struggle.
READING_AGE_AIM = 11
LONG_SENTENCE_WORDS = 20
STATUS_WORDS = {ActionStatus.OPEN: "Still to do", ActionStatus.DONE: "Done", ActionStatus.NOT_DONE: "Not done yet"}


@dataclass
class CopyAction:
    what: str
    who: str
    by: date
    why: str
    status: str
    theirs: bool  # the adult the copy is for does it


@dataclass
class Copy:
    plan: SafetyPlan
    for_name: str  # "" for the whole family
    children: str
    actions: list[CopyAction]
    strengths: list[str]
    reviews: list[str]
    to_talk_about: list[dict]
    decided: list[str]
    keyworker: str
    phone: str
    next_review_on: date
    text: str = field(default="")  # the words a reader reads, for the reading check


@dataclass(frozen=True)
class ReadingCheck:
    age: int  # about how old a reader must be to follow it (Flesch-Kincaid grade + 5)
    ease: float  # Flesch reading ease: 60 and above is plain English
    long_sentences: list[str]

    @property
    def plain(self) -> bool:
        return self.age <= READING_AGE_AIM


def _names(people: list[str]) -> str:
    if not people:
        return "the children"
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def copy_for(plan: SafetyPlan, *, adult_key: str = "", as_of: date) -> Copy:
    """The copy for one adult of the family (`adult_key` as families.selectors.adults_living_with_child names
    them: their own actions first), or for the whole family. Raises KeyError for a key that is not theirs."""
    household = plan.household
    adults = {adult["key"]: adult for adult in families.adults_living_with_child(household)}
    name = adults[adult_key]["name"] if adult_key else ""
    children = [c.given_name for c in families.children_living_here(household, as_of) if c.given_name]
    actions = [
        CopyAction(a.expectation, a.owner, a.due_on, a.why, STATUS_WORDS[a.status], bool(name) and a.owner == name)
        for a in plan.actions.all()
    ]
    actions.sort(key=lambda a: (not a.theirs, a.status == STATUS_WORDS[ActionStatus.DONE], a.by))
    reviews = []
    for review in sorted(plan.reviews.all(), key=lambda r: r.reviewed_on):
        done = sum(1 for p in review.progress.all() if p.status == ActionStatus.DONE)
        still = sum(1 for p in review.progress.all() if p.status == ActionStatus.OPEN)
        reviews.append(f"{review.reviewed_on:%-d %B %Y}: {done} done, {still} still to do.")
    disagreements = list(plan.disagreements.all())
    in_treatment = household.service_users.filter(discharged_on__isnull=True, keyworker__isnull=False)
    first = in_treatment.select_related("keyworker").order_by("pk").first()
    keyworker = first.keyworker if first else None
    found = Copy(
        plan=plan,
        for_name=name,
        children=_names(children),
        actions=actions,
        strengths=[s.what for s in plan.strengths.all()],
        reviews=reviews,
        to_talk_about=[
            {"about": d.about, "whose": d.whose_view, "they_said": d.family_view, "we_think": d.practitioner_view}
            for d in disagreements
            if d.is_open
        ],
        decided=[d.outcome for d in disagreements if not d.is_open],
        keyworker=keyworker.full_name if keyworker else "your keyworker",
        phone=(keyworker.phone if keyworker else "") or household.team.organisation.phone,
        next_review_on=plan.next_review_on,
    )
    found.text = " ".join(
        [
            *(f"{a.what}. {a.why}." for a in actions),
            *(f"{s}." for s in found.strengths),
            *(f"{t['about']}. {t['we_think']}." for t in found.to_talk_about),
            *(f"{d}." for d in found.decided),
        ]
    )
    return found


def reading_check(text: str) -> ReadingCheck:
    """How easy the words are to read, and the sentences to shorten."""
    text = re.sub(r"\.\.+", ".", text.strip())
    if not text:
        return ReadingCheck(0, 100.0, [])
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    long = [s for s in sentences if len(s.split()) > LONG_SENTENCE_WORDS]
    grade = textstat.flesch_kincaid_grade(text)
    return ReadingCheck(max(0, round(grade + 5)), textstat.flesch_reading_ease(text), long)


def copies_out_of_date(plan: SafetyPlan) -> list[FamilyCopy]:
    """The latest copy each adult was given, where the plan has been reviewed since."""
    latest_review = max(plan.reviews.all(), key=lambda r: (r.reviewed_on, r.pk), default=None)
    latest: dict[str, FamilyCopy] = {}
    for copy in sorted(plan.family_copies.all(), key=lambda c: (c.given_on, c.pk)):
        latest[copy.given_to_key] = copy
    if latest_review is None:
        return []
    return [c for c in latest.values() if c.covers_review_id != latest_review.pk]
