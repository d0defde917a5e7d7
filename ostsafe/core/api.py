"""API plumbing: the same access check and audit as the web pages, for DRF views."""

import csv
import io
from abc import ABCMeta, abstractmethod
from itertools import islice

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status, views, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ostsafe.audit.services import record_access, record_list_access
from ostsafe.core import access
from ostsafe.core import imports as core_imports


def exception_handler(exc, context):
    """Django model validation errors become 400s with field messages, like serializer errors."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


class HouseholdScopedViewSet(viewsets.ModelViewSet):
    """A viewset over records that belong to a household.

    Subclasses give `base_queryset()`, `household_of(obj)` and `household_lookup` (the path from the model to its
    household, for the access filter). Lists are filtered to the households the user may see and audited one event
    per household; single reads and every write ask `access.can` and are audited, refusals included.
    """

    household_lookup = "household__"
    view_action = access.Action.VIEW_HOUSEHOLD
    edit_action = access.Action.EDIT_HOUSEHOLD
    audit_name = "record"
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def base_queryset(self):
        return self.queryset.all()

    def household_of(self, obj):
        return obj.household

    def get_queryset(self):
        return self.base_queryset().filter(access.household_q(self.request.user, prefix=self.household_lookup))

    def _audit(self, household_id, action, allowed, detail=""):
        record_access(
            request=self.request,
            user=self.request.user,
            action=f"api.{self.audit_name}.{action}",
            household_id=household_id,
            allowed=allowed,
            detail=detail,
        )

    def list(self, request, *args, **kwargs):
        if not access.has_action(request.user, self.view_action):
            self._audit(None, "list", False, "role does not allow this")
            raise exceptions.PermissionDenied("Your role does not allow you to see families' records.")
        response = super().list(request, *args, **kwargs)
        page = getattr(self, "_listed", [])
        record_list_access(
            request=request,
            user=request.user,
            action=f"api.{self.audit_name}.list",
            household_ids=[self.household_of(obj).pk for obj in page],
        )
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._listed = page if page is not None else list(queryset)
        return page

    def get_object(self):
        # Look the object up without the access filter first, so that a refused read is audited as a refusal
        # against the right household rather than disappearing as a 404.
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        try:
            obj = self.base_queryset().get(**lookup)
        except (self.queryset.model.DoesNotExist, ValueError):
            self._audit(None, self.action, False, "no such record")
            raise exceptions.NotFound() from None
        household = self.household_of(obj)
        needed = self.view_action if self.request.method in permissions.SAFE_METHODS else self.required_write_action()
        allowed = access.can(self.request.user, needed, household)
        self._audit(household.pk, self.action, allowed)
        if not allowed:
            raise exceptions.PermissionDenied("You do not have access to this family's record.")
        return obj

    def required_write_action(self):
        return self.edit_action

    def check_household_for_create(self, household):
        allowed = access.can(self.request.user, self.required_write_action(), household)
        self._audit(household.pk, "create", allowed)
        if not allowed:
            raise exceptions.PermissionDenied("You may not add records to this family.")


class RejectionSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number as in a CSV file: row 1 is the header")
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    rejections = RejectionSerializer(many=True, help_text="The first 1,000 rejections, in row order")


class BatchImportView(views.APIView, metaclass=ABCMeta):
    """POST a batch of records for a bulk import: JSON {"records": [{field: value, ...}, ...]} or CSV text with a
    header row (Content-Type: text/csv). At most `max_rows` records; one report back (created, updated, unchanged,
    rejected, and each rejection with its row and reason). Roles without `required_action` are refused, and the
    refusal is audited. Subclasses give `fields`, `audit_name` and `run(records, user)`."""

    required_action: str = ""
    fields: list[str] = []
    audit_name = "import"
    max_rows = 10_000

    @abstractmethod
    def run(self, records: list[tuple[str, ...]], user) -> core_imports.ImportReport:
        """Import the records for `user` (one transaction) and return the report."""

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "text/csv": OpenApiTypes.STR},
        responses=ImportReportSerializer,
    )
    def post(self, request):
        user = request.user
        if not access.has_action(user, self.required_action):
            record_access(
                request=request, user=user, action=f"{self.audit_name}.batch", household_id=None, allowed=False
            )
            raise exceptions.PermissionDenied("Your role does not send these records.")
        records = self._records(request)
        if len(records) > self.max_rows:
            raise exceptions.ValidationError({"records": [f"Send at most {self.max_rows:,} records in one batch"]})
        report = self.run(records, user)
        return Response(report.as_dict(), status=status.HTTP_200_OK)

    def _records(self, request) -> list[tuple[str, ...]]:
        """The body's records, read to the end (at most one more than `max_rows`), so a body that cannot be read is a
        400 before anything is stored."""
        if request.content_type.startswith("text/csv"):
            try:
                text = request.body.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise exceptions.ValidationError({"records": ["Send the CSV as UTF-8 text"]}) from None
            rows = core_imports.read_csv(io.StringIO(text, newline=""), self.fields)
            try:
                return list(islice(rows, self.max_rows + 1))
            except ValueError as error:
                raise exceptions.ValidationError({"records": [str(error)]}) from None
            except csv.Error as error:
                raise exceptions.ValidationError({"records": [f"The CSV could not be read: {error}"]}) from None
        records = request.data.get("records") if isinstance(request.data, dict) else None
        if not isinstance(records, list):
            raise exceptions.ValidationError({"records": ["Send a list of records"]})
        if not all(isinstance(row, dict) for row in records):
            raise exceptions.ValidationError({"records": ["Each record must be an object with the named fields"]})
        return list(core_imports.records_from_dicts(records[: self.max_rows + 1], self.fields))
