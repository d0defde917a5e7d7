from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The local map (guide, "Managing practice": "identify all relevant strategic groups and operational
    services"): the services and strategic groups of the area, kept by managers, picked from by every record that
    names one."""

    name = "ostsafe.directory"
    verbose_name = "Local services"
