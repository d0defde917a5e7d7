from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet

from . import services
from .models import Task


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "detail",
            "household",
            "service_user",
            "assignee",
            "due_on",
            "status",
            "rule",
            "created_at",
            "completed_at",
            "outcome",
        ]
        read_only_fields = fields


class CompleteTaskSerializer(serializers.Serializer):
    outcome = serializers.CharField()


class TaskViewSet(HouseholdScopedViewSet):
    """Tasks about families the caller may see; `?mine=1` for the caller's own. `complete` marks one done."""

    queryset = Task.objects.select_related("household__team")
    serializer_class = TaskSerializer
    edit_action = Action.VIEW_HOUSEHOLD
    audit_name = "task"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        tasks = super().get_queryset()
        return tasks.filter(assignee=self.request.user) if self.request.query_params.get("mine") else tasks

    def create(self, request, *args, **kwargs):
        return Response({"detail": "Tasks are made by the rules and by practitioners' actions"}, status=405)

    @action(detail=True, methods=["post"], serializer_class=CompleteTaskSerializer)
    def complete(self, request, pk=None):
        task = self.get_object()
        data = CompleteTaskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_task(task=task, completed_by=request.user, outcome=data.validated_data["outcome"])
        return Response(TaskSerializer(Task.objects.get(pk=task.pk)).data)
