from django.apps import AppConfig


class CarersConfig(AppConfig):
    """Guide, "Seeing the child and whole family": "family members should be supported in their own right as they
    may be very important in the support of people in treatment". A grandparent bringing up the children, a partner
    not in treatment, an older sibling: their own needs, and where they were signposted or referred."""

    name = "ostsafe.carers"
    verbose_name = "Family members supported in their own right"

    def ready(self):
        from ostsafe.core.households import ChronologySource, Tab, register_chronology_source, register_tab

        from . import chronology

        register_tab(Tab("family_support", "Family support", "carers:tab", order=65))
        register_chronology_source(
            ChronologySource("carers", "Family members supported in their own right", chronology.events)
        )
