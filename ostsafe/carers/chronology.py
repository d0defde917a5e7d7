"""Family members supported in their own right, in the family chronology (the treatment team's only)."""

from ostsafe.core.households import ChronologyEvent, in_period

from .models import Carer, SupportOffer


def events(household, since, until) -> list[ChronologyEvent]:
    found = []
    carers = Carer.objects.filter(household=household).select_related("member", "recorded_by")
    for carer in in_period(carers, "identified_on", since, until):
        found.append(
            ChronologyEvent(
                on=carer.identified_on,
                kind="carers",
                title=f"{carer.member.display_name}'s own support needs recorded",
                by=carer.recorded_by.full_name,
            )
        )
    offers = SupportOffer.objects.filter(carer__household=household).select_related(
        "carer__member", "service", "offered_by"
    )
    for offer in in_period(offers, "offered_on", since, until):
        verb = "referred" if offer.kind == "referred" else "signposted"
        found.append(
            ChronologyEvent(
                on=offer.offered_on,
                kind="carers",
                title=f"{offer.carer.member.display_name} {verb} to {offer.service}",
                by=offer.offered_by.full_name,
            )
        )
    for offer in in_period(offers.exclude(outcome="waiting"), "outcome_on", since, until):
        found.append(
            ChronologyEvent(
                on=offer.outcome_on,
                kind="carers",
                title=f"{offer.carer.member.display_name}, {offer.service}: {offer.get_outcome_display().lower()}",
            )
        )
    return found
