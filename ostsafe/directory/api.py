"""The directory for partner systems: read-only. Every signed-in role may read it (it names services, never a
family); the gate is asked all the same, so a role without the action is refused and the refusal written down."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.roles import Action

from . import selectors
from .models import LocalService
from .services import FIELDS


class LocalServiceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_strategic_group = serializers.BooleanField(source="is_strategic", read_only=True)

    class Meta:
        model = LocalService
        fields = ["id", "kind_label", "is_strategic_group", *FIELDS, "retired_on", "updated_on"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "include_retired",
                OpenApiTypes.BOOL,
                description="true: services that no longer run too (records may still name them)",
            )
        ]
    )
)
class LocalServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Local services and strategic groups, current ones by kind and name (`include_retired=true` for all)."""

    serializer_class = LocalServiceSerializer
    queryset = LocalService.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require(request, Action.VIEW_DIRECTORY, audit_as=AuditAction.DIRECTORY_API)

    def get_queryset(self):
        if self.action == "retrieve":
            return LocalService.objects.select_related("part_of")
        params = getattr(self.request, "query_params", {})
        return selectors.directory(include_retired=params.get("include_retired") == "true")
