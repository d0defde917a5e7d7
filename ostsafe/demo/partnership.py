"""The demo's families as partners: what the first planned families are doing well, a disagreement still open and
one settled, and the family's own views beside the practitioner's at their assessment and review. Uses no random
numbers, so the rest of the demo comes out as it always has."""

from datetime import date, timedelta

from ostsafe.assessments import services as assessment_services
from ostsafe.assessments.models import Assessment, AssessmentStatus
from ostsafe.families import selectors as families
from ostsafe.plans import services as plan_services
from ostsafe.plans.models import SafetyPlan


class PartnershipDemo:
    def __init__(self, today: date, progress):
        self.today = today
        self.progress = progress

    def build(self) -> None:
        self.progress("Families as partners: strengths, disagreements, the family's views")
        plans = SafetyPlan.objects.select_related("household", "created_by").order_by("pk")[:2]
        for n, plan in enumerate(plans):
            keyworker = plan.created_by
            on = max(plan.created_on, self.today - timedelta(days=14))
            plan_services.record_strength(
                plan=plan,
                what="The safety box has been locked, and kept out of the children's reach, at every visit",
                noticed_on=on,
                recorded_by=keyworker,
            )
            plan_services.record_strength(
                plan=plan, what="Has not missed a pharmacy pick-up in six weeks", noticed_on=on, recorded_by=keyworker
            )
            adults = families.adults_living_with_child(plan.household)
            if not adults:
                continue
            disagreement = plan_services.record_disagreement(
                plan=plan,
                about="Whether the children can stay overnight with their uncle",
                whose_view=adults[0]["name"],
                family_view="He's their uncle and he's always had them; they love going",
                practitioner_view="He told the GP he is using again; the children would be alone in a house with "
                "heroin in it",
                raised_on=on,
                raised_by=keyworker,
            )
            if n == 0:
                plan_services.settle_disagreement(
                    disagreement=disagreement,
                    negotiation="Talked it through at the home visit; listened to why the weekends matter to her",
                    outcome="The children stay with their aunt instead, and see their uncle in the daytime",
                    decision="agreed",
                    decided_by=f"{adults[0]['name']} and {keyworker.full_name} together",
                    resolved_on=self.today,
                    resolved_by=keyworker,
                )
            self._views(plan, adults[0], keyworker)

    def _views(self, plan, adult, keyworker) -> None:
        assessment = (
            Assessment.objects.filter(household=plan.household, status=AssessmentStatus.COMPLETED)
            .order_by("-completed_on", "-pk")
            .first()
        )
        if assessment is not None:
            assessment_services.record_family_view(
                household=plan.household,
                adult_key=adult["key"],
                occasion="assessment",
                assessment=assessment,
                family_life="Mornings are the hardest; weekends at my mum's are good for all of us",
                what_would_help="Someone to help with the school run on pharmacy days",
                hopes="To be off the script by the summer and back at work",
                fears="That the children will be taken if I slip up",
                said_on=assessment.completed_on,
                recorded_by=keyworker,
            )
        review = plan.reviews.order_by("-reviewed_on", "-pk").first()
        if review is not None:
            assessment_services.record_family_view(
                household=plan.household,
                adult_key=adult["key"],
                occasion="review",
                review=review,
                family_life="Calmer since the box; the kids know not to touch it",
                what_would_help="A lock for the bathroom cabinet too",
                said_on=review.reviewed_on,
                recorded_by=keyworker,
            )
