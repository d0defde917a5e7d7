from django.conf import settings
from django.urls import reverse

from ostsafe.core import access
from ostsafe.core.access import Action


def service(request):
    """The service name and the navigation the signed-in user's role allows."""
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        if access.prescribes(user):
            navigation.append(("prescribing", "Prescribing", reverse("prescribing:today")))
        if access.has_caseload(user):
            navigation.append(("caseload", "My caseload", reverse("families:caseload")))
            navigation.append(("tasks", "My tasks", reverse("tasks:mine")))
            navigation.append(("team_tasks", "Team tasks", reverse("tasks:team")))
        if access.receives_shared_records(user):
            navigation.append(("shared", "Shared with me", reverse("sharing:shared_with_me")))
        if access.works_at_a_counter(user):
            navigation.append(("counter", "Today at the counter", reverse("pharmacy:counter")))
        if access.has_action(user, Action.MANAGE_BOX_STOCK):
            navigation.append(("boxes", "Safety boxes", reverse("storage:stock")))
        if access.has_action(user, Action.VIEW_OVERSIGHT):
            navigation.append(("dashboard", "Practice dashboard", reverse("management:dashboard")))
            navigation.append(("overrides", "Take-home overrides", reverse("prescribing:overrides")))
        if access.has_action(user, Action.RECORD_SUPERVISION):
            navigation.append(("supervision", "Supervision and training", reverse("management:supervision_due")))
        if access.has_action(user, Action.VIEW_REPORTS):
            navigation.append(("report", "Commissioner's report", reverse("management:report")))
        if access.has_action(user, Action.APPROVE_SHARING):
            navigation.append(("break_glass", "Break-glass", reverse("sharing:break_glass_list")))
        if access.has_action(user, Action.VIEW_AUDIT):
            navigation.append(("audit", "Access log", reverse("audit:events")))
        if access.has_action(user, Action.VIEW_DIRECTORY):
            navigation.append(("directory", "Local services", reverse("directory:directory")))
        navigation.append(("account", "Your account", reverse("accounts:account")))
    # The API's documentation is for the IT teams who connect systems, not part of practitioners' navigation: the
    # footer links to it for anyone signed in.
    return {
        "service_name": settings.OSTSAFE_SERVICE_NAME,
        "service_navigation": navigation,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "api_docs_url": reverse("api-docs") if user is not None and user.is_authenticated else "",
    }
