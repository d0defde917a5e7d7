from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The local map (guide, "Managing practice": "identify all relevant strategic groups and operational
    services"): the services and strategic groups of the area, kept by managers, picked from by every record that
    names one."""

    name = "ostsafe.directory"
    verbose_name = "Local services"

    def ready(self):
        from ostsafe.core.marks import mark_changes

        from .models import LocalService

        # A family's overview names the services of its network (core.kept_pages): renaming one moves every family.
        mark_changes(LocalService, household=None, fields=("name",))
