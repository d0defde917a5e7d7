from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdRecordsReadViewSet

from . import services
from .models import Task, TaskStatus


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


class TaskViewSet(HouseholdRecordsReadViewSet):
    """Tasks about families the caller may see; `?mine=1` for the caller's own. `complete` marks one done."""

    queryset = Task.objects.select_related("household__team")
    serializer_class = TaskSerializer
    edit_action = Action.VIEW_HOUSEHOLD
    audit_name = "task"

    filter_lookups = {"service_user": "service_user_id"}
    other_filters = ("mine", "status")  # mine=1: only the caller's own; status=open|done

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        params = self.request.query_params
        if "mine" in params:
            if params["mine"] not in {"1", "true", "yes"}:
                raise exceptions.ValidationError({"mine": ["Use mine=1 for your own tasks only"]})
            queryset = queryset.filter(assignee=self.request.user)
        if "status" in params:
            if params["status"] not in TaskStatus.values:
                raise exceptions.ValidationError({"status": [f"Status is one of: {', '.join(TaskStatus.values)}"]})
            queryset = queryset.filter(status=params["status"])
        return queryset

    @action(detail=True, methods=["post"], serializer_class=CompleteTaskSerializer)
    def complete(self, request, pk=None):
        task = self.get_object()
        data = CompleteTaskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_task(task=task, completed_by=request.user, outcome=data.validated_data["outcome"])
        return Response(TaskSerializer(Task.objects.get(pk=task.pk)).data)
