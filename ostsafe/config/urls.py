from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from ostsafe.assessments import api as assessments_api
from ostsafe.curiosity import api as curiosity_api
from ostsafe.directory import api as directory_api
from ostsafe.families import api as families_api
from ostsafe.interop import api as interop_api
from ostsafe.monitoring import api as monitoring_api
from ostsafe.pharmacy import api as pharmacy_api
from ostsafe.plans import api as plans_api
from ostsafe.prescribing import api as prescribing_api
from ostsafe.sharing import api as sharing_api
from ostsafe.storage import api as storage_api
from ostsafe.tasks import api as tasks_api
from ostsafe.visits import api as visits_api

# No browsable root and no ".json" suffix routes: every endpoint is listed in the schema and the Swagger UI.
router = SimpleRouter()
router.register("households", families_api.HouseholdViewSet, basename="household")
router.register("service-users", families_api.ServiceUserViewSet, basename="service-user")
router.register("household-members", families_api.HouseholdMemberViewSet, basename="household-member")
router.register("child-contacts", families_api.ChildContactViewSet, basename="child-contact")
router.register("network", families_api.InvolvementViewSet, basename="involvement")
router.register("local-services", directory_api.LocalServiceViewSet, basename="local-service")
router.register("prescriptions", prescribing_api.PrescriptionViewSet, basename="prescription")
router.register("take-home-decisions", prescribing_api.TakeHomeDecisionViewSet, basename="take-home-decision")
router.register("assessments", assessments_api.AssessmentViewSet, basename="assessment")
router.register("home-visits", visits_api.HomeVisitViewSet, basename="home-visit")
router.register("storage-checks", visits_api.StorageCheckViewSet, basename="storage-check")
router.register("safety-boxes", storage_api.SafetyBoxViewSet, basename="safety-box")
router.register("tasks", tasks_api.TaskViewSet, basename="task")
router.register("guidance-agreements", plans_api.GuidanceAgreementViewSet, basename="guidance-agreement")
router.register("safety-plans", plans_api.SafetyPlanViewSet, basename="safety-plan")
router.register("dispensing", pharmacy_api.DispensingRecordViewSet, basename="dispensing")
router.register("appointments", monitoring_api.AppointmentViewSet, basename="appointment")
router.register("test-results", monitoring_api.TestResultViewSet, basename="test-result")
router.register("concerns", monitoring_api.ConcernViewSet, basename="concern")
router.register("consents", sharing_api.ConsentViewSet, basename="consent")
router.register("shared-households", sharing_api.SharedHouseholdViewSet, basename="shared-household")
router.register("notifications", sharing_api.NotificationViewSet, basename="notification")
router.register("partner-reports", sharing_api.PartnerReportViewSet, basename="partner-report")
router.register("sharing-decisions", sharing_api.SharingDecisionViewSet, basename="sharing-decision")
router.register("referrals", sharing_api.ReferralViewSet, basename="referral")
router.register("break-glass", sharing_api.BreakGlassViewSet, basename="break-glass")
router.register("warning-signs", curiosity_api.FlagViewSet, basename="warning-sign")
router.register("warning-sign-observations", curiosity_api.ObservationViewSet, basename="warning-sign-observation")

urlpatterns = [
    path("", include("ostsafe.core.urls")),
    path("accounts/", include("ostsafe.accounts.urls")),
    path("", include("ostsafe.families.urls")),
    path("", include("ostsafe.directory.urls")),
    path("", include("ostsafe.prescribing.urls")),
    path("", include("ostsafe.audit.urls")),
    path("", include("ostsafe.management.urls")),
    path("", include("ostsafe.interop.urls")),
    path("", include("ostsafe.tasks.urls")),
    path("", include("ostsafe.assessments.urls")),
    path("", include("ostsafe.visits.urls")),
    path("", include("ostsafe.storage.urls")),
    path("", include("ostsafe.plans.urls")),
    path("", include("ostsafe.pharmacy.urls")),
    path("", include("ostsafe.carers.urls")),
    path("", include("ostsafe.monitoring.urls")),
    path("", include("ostsafe.sharing.urls")),
    path("", include("ostsafe.curiosity.urls")),
    path("api/dispensing-batches/", pharmacy_api.DispensingBatchView.as_view(), name="dispensing-batch"),
    path("api/fhir/households/<id:household_id>", interop_api.FhirHouseholdView.as_view(), name="fhir-household"),
    path("api/appointment-batches/", monitoring_api.AppointmentBatchView.as_view(), name="appointment-batch"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script from a URL, not inline, so the Content Security Policy holds there too.
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "ostsafe.core.views.permission_denied"
handler404 = "ostsafe.core.views.page_not_found"
