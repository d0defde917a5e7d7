"""Reads of people and organisations, shaped for the choices a page or the API offers."""

from django.db.models import Case, When
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostsafe.core import access
from ostsafe.core.roles import OrganisationType

from .models import ApiToken, Organisation, Team, User


def colleagues(user):
    """People this user may name in a record (their own organisation's; anyone's for an administrator). Which of
    them suit the field (a keyworker, a prescriber, a visitor) the record's own rules decide."""
    return User.objects.filter(access.colleagues_q(user))


def network_professionals(user=None):
    """Practitioners who may be named in a family's professional network, whatever their organisation."""
    return User.objects.filter(access.network_professionals_q()).select_related("organisation")


def placeable_teams(user):
    """The teams this user may register a household into or move one to."""
    return Team.objects.select_related("organisation").filter(access.placeable_teams_q(user))


def pharmacies(user=None):
    return Organisation.objects.filter(type=OrganisationType.COMMUNITY_PHARMACY)


def authenticators_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user)


def team_manager_for(household, fallback):
    """Who a manager's task about this family goes to: a team manager of its service, its own team's first; `fallback`
    (usually whoever acted) when the service has none."""
    manager = (
        User.objects.filter(access.managers_q(organisation_id=household.team.organisation_id))
        .annotate(own_team=Case(When(team_id=household.team_id, then=0), default=1))
        .order_by("own_team", "pk")
        .first()
    )
    return manager or fallback


def manager_of(user):
    """A team manager of the user's own service, their own team's first (None when the service has none)."""
    return (
        User.objects.filter(access.managers_q(organisation_id=user.organisation_id))
        .exclude(pk=user.pk)
        .annotate(own_team=Case(When(team_id=user.team_id, then=0), default=1))
        .order_by("own_team", "pk")
        .first()
    )
