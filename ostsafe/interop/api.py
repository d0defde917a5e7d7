"""GET /api/fhir/households/{id}: one family's record as a FHIR R4 Bundle, asked of the same gate and written to the
same access log as every read of a family's data."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import views

from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.families.models import Household

from . import fhir


class FhirHouseholdView(views.APIView):
    @extend_schema(
        summary="A family's record as a FHIR R4 Bundle",
        description=(
            "Patients (NHS number), RelatedPersons (children and household adults), MedicationRequests, the last "
            "four weeks' MedicationDispenses, raised warning signs as Flags, the safety plan as a CarePlan, and "
            "consent to share as Consents (R4B models from fhir.resources, validated before they are sent). Needs "
            "the export permission (team managers, administrators) and the family within reach; audited."
        ),
        responses={
            (200, "application/fhir+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="A Bundle of type collection"
            ),
            403: OpenApiResponse(description="Not allowed to export, or the family is beyond reach"),
            404: OpenApiResponse(description="No such family"),
        },
    )
    def get(self, request, household_id: int):
        household = Household.objects.select_related("team").filter(pk=household_id).first()
        if household is None:
            raise Http404("No such family")
        # One question, one line in the access log: the family within reach, and the role allowed to export.
        access.require(
            request,
            Action.EXPORT_RECORDS,
            household,
            check=lambda user: (
                access.can(user, Action.VIEW_HOUSEHOLD, household) and access.has_action(user, Action.EXPORT_RECORDS)
            ),
            audit_as=AuditAction.FHIR_EXPORT,
        )
        bundle = fhir.household_bundle(household, today())
        response = HttpResponse(bundle.model_dump_json(exclude_none=True), content_type="application/fhir+json")
        response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.fhir.json"'
        return response
