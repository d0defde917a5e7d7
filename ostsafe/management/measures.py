"""The practices the guide asks for, as measures over the families with children: each says whether a family meets
it (an expression over a household row, from the app that owns the record) and, for some, which families it applies
to. Guide, "Managing practice for drug and alcohol specialist practitioners": managers see what is slipping."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from ostsafe.assessments import selectors as assessments
from ostsafe.curiosity import selectors as curiosity
from ostsafe.plans import selectors as plans
from ostsafe.sharing import selectors as sharing
from ostsafe.storage import selectors as storage
from ostsafe.tasks import selectors as tasks
from ostsafe.visits import selectors as visits


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    guide: str
    met: Callable[[date], object]
    applies: Callable[[date], object] | None = None


MEASURES = [
    Measure(
        "assessment_current",
        "Whole-family assessment current",
        "An assessment of risk is carried out where OST drugs are being prescribed to a parent",
        assessments.compliance_assessment_current,
    ),
    Measure(
        "home_visit_done",
        "Home visit made",
        "At least one home visit to check safe storage and home conditions, and to observe the child(ren)",
        visits.compliance_home_visit_done,
    ),
    Measure(
        "visits_on_schedule",
        "Home visits at the frequency the risk level sets",
        "Home visits should be regularly conducted",
        visits.compliance_visits_on_schedule,
    ),
    Measure(
        "storage_seen",
        "Storage seen (not only claimed) in the review period",
        "Ask to see where the OST is stored. Check the veracity of claims of safe storage",
        visits.compliance_storage_seen,
    ),
    Measure(
        "safety_box",
        "Safety box for everyone on take-home doses",
        "Safety boxes for all clients prescribed take-home OST who live with or have contact with children",
        storage.compliance_safety_box,
        applies=storage.compliance_takes_home,
    ),
    Measure(
        "leaflet_given",
        "Safe-storage leaflet given",
        "Provide a leaflet for service users setting out the risks of OST",
        storage.compliance_leaflet_given,
    ),
    Measure(
        "agreement_signed",
        "Guidance agreement signed and current",
        "A guidance agreement signed by the service user",
        plans.compliance_agreement_signed,
    ),
    Measure(
        "plan_reviewed",
        "Safety plan reviewed on time, no deadline moved more than twice",
        "Regular review of safety plans, with clear timescales",
        plans.compliance_plan_reviewed,
    ),
    Measure(
        "routine_notification",
        "Routine notification sent (or its refusal discussed)",
        "A routine notification to the health visitor or school nurse",
        sharing.compliance_routine_notification,
    ),
    Measure(
        "signs_acknowledged",
        "Warning signs acknowledged in time",
        "Professional curiosity: warning signs noticed in time",
        curiosity.compliance_signs_acknowledged,
    ),
    Measure(
        "no_overdue_tasks",
        "Nothing overdue",
        "Managers see what is slipping",
        tasks.compliance_no_overdue_tasks,
    ),
]
MEASURES_BY_KEY = {m.key: m for m in MEASURES}


def annotated(households: QuerySet, as_of: date) -> QuerySet:
    """`households` with each measure worked out for each family: `met_<key>`, and `applies_<key>` where it may not
    apply. Reads the policies the measures are set by."""
    annotations = {}
    for measure in MEASURES:
        annotations[f"met_{measure.key}"] = measure.met(as_of)
        if measure.applies is not None:
            annotations[f"applies_{measure.key}"] = measure.applies(as_of)
    return households.annotate(**annotations)


def measure_counts(*, distinct: bool = False) -> dict:
    """Each measure's met and of, as aggregates over annotated households (`distinct` where a join repeats them)."""
    counts = {}
    for measure in MEASURES:
        applies = Q(**{f"applies_{measure.key}": True}) if measure.applies is not None else Q()
        met = applies & Q(**{f"met_{measure.key}": True})
        counts[f"{measure.key}__met"] = Count("pk", filter=met, distinct=distinct)
        counts[f"{measure.key}__of"] = (
            Count("pk", filter=applies, distinct=distinct)
            if measure.applies is not None
            else Count("pk", distinct=distinct)
        )
    return counts
