from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "ostsafe.tasks"
    label = "tasks"
    verbose_name = "Tasks"
