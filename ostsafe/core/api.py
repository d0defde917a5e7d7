"""API plumbing: the same access check and audit as the web pages, for DRF views."""

import csv
import io
from abc import ABCMeta, abstractmethod
from itertools import islice

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, views, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ostsafe.core import access, auditing, households
from ostsafe.core import imports as core_imports
from ostsafe.core.converters import ID_PATTERN, parse_id
from ostsafe.core.services import OutOfReach
from ostsafe.core.views import audit_out_of_reach


class ReachableRelatedField(serializers.PrimaryKeyRelatedField):
    """An id that names another record in a request body. Its choices are exactly the records the caller may name
    there, given by `reach(user)`: an id out of reach reads exactly like one that does not exist (same message, so
    nothing is revealed), no schema or OPTIONS answer can list more, and the attempt is written to the access log as
    a refusal (against the family, when `household_of(pk)` finds one). Whether the record also belongs to the
    household in hand is the service's check."""

    default_error_messages = {"does_not_exist": "There is no record {pk_value} that you can choose here"}

    def __init__(self, reach, *, household_of=None, **kwargs):
        self.reach = reach
        self.household_of = household_of
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.reach(self._user())

    def _user(self):
        return getattr(self.context.get("request"), "user", None)

    def to_internal_value(self, data):
        pk = None if isinstance(data, bool) else parse_id(data)
        # Not an id at all (a word, a float, a number too big for the database) gets the same answer as an unknown id.
        found = self.get_queryset().filter(pk=pk).first() if pk is not None else None
        if found is None:
            self._audit_refusal(pk, data)
            self.fail("does_not_exist", pk_value=str(data)[:20])
        return found

    def _audit_refusal(self, pk, data):
        request = self.context.get("request")
        if request is None:
            return
        model = self.get_queryset().model
        household_id = self.household_of(pk) if self.household_of is not None and pk is not None else None
        auditing.record_access(
            request=request,
            user=request.user,
            action=auditing.named_out_of_reach(model._meta.model_name),
            household_id=household_id,
            allowed=False,
            detail=f"{self.field_name or self.parent.field_name}: {str(data)[:40]} out of reach or not found",
        )


def family_record_field(model, household_lookup: str, **kwargs) -> ReachableRelatedField:
    """The id of a family's record (a household, a service user, a child...): those of the families the caller may
    see. `household_lookup` is the path from `model` to its household ("" for Household itself)."""
    household_id = f"{household_lookup}id" if household_lookup else "id"
    return ReachableRelatedField(
        reach=lambda user: model._default_manager.filter(access.household_q(user, prefix=household_lookup)),
        household_of=lambda pk: model._default_manager.filter(pk=pk).values_list(household_id, flat=True).first(),
        **kwargs,
    )


def exception_handler(exc, context):
    """Django model validation errors become 400s with field messages, like serializer errors."""
    request = context.get("request")
    if isinstance(exc, OutOfReach) and request is not None:
        audit_out_of_reach(request, exc)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed) and request is not None:
        # Nobody signed in, or a token that does not work: refused, and written down like any refusal.
        auditing.record_access(
            request=request,
            user=None,
            action=auditing.ANONYMOUS_API,
            household_id=None,
            allowed=False,
            detail=str(exc.detail)[:200],
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


class HouseholdRecordsReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only records that belong to a household (the base of every family endpoint).

    Subclasses give `queryset`, `household_lookup` (the path from the model to its household, for the access filter)
    and, when the record does not point at its household directly, `household_of(obj)`. Lists are filtered to the
    households the user may see and audited one event per household; single reads ask the gate (`access.require`),
    which writes every answer to the access log. Lists take the filters `filter_lookups` names (`household` always)
    and refuse any other query parameter.
    """

    household_lookup = "household__"
    lookup_value_regex = ID_PATTERN
    view_action = access.Action.VIEW_HOUSEHOLD
    edit_action = access.Action.EDIT_HOUSEHOLD
    audit_name = "record"
    permission_classes = [permissions.IsAuthenticated]
    # Query parameter -> lookup of the record's id it filters on, besides `household`.
    filter_lookups: dict[str, str] = {}
    # Further filters a subclass applies itself (in filter_queryset, after this class has checked the names).
    other_filters: tuple[str, ...] = ()
    NOT_FILTERS = frozenset({"page"})

    def base_queryset(self):
        return self.queryset.all()

    def household_of(self, obj):
        return obj.household

    def get_queryset(self):
        return self.base_queryset().filter(self.reach_q())

    def reach_q(self):
        """The records this caller may read (a filter on the model)."""
        return access.household_q(self.request.user, prefix=self.household_lookup)

    def may_list(self, user) -> bool:
        return access.has_action(user, self.view_action)

    def may_read(self, user, obj, household) -> bool:
        return access.can(user, self.view_action, household)

    def required_write_action(self):
        return self.edit_action

    def audit_as(self, action: str) -> str:
        return f"api.{self.audit_name}.{action}"

    def id_filters(self) -> dict[str, str]:
        household = f"{self.household_lookup}id" if self.household_lookup else "id"
        return {"household": household, **self.filter_lookups}

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        known = self.id_filters()
        names = [*known, *self.other_filters]
        unknown = sorted(set(self.request.query_params) - set(names) - self.NOT_FILTERS)
        if unknown:
            raise exceptions.ValidationError(
                {"filters": [f"Unknown filter: {', '.join(unknown)}. This list can be filtered by: {', '.join(names)}"]}
            )
        for name, lookup in known.items():
            if name in self.request.query_params:
                queryset = queryset.filter(**{lookup: self._id_parameter(name)})
        return queryset

    def _id_parameter(self, name):
        value = parse_id(self.request.query_params[name])
        if value is None:
            raise exceptions.ValidationError({name: ["Give the record's id as a whole number"]})
        return value

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A role that may not add these records at all is refused before its request body is read.
        if self.action == "create":
            access.require(
                request,
                self.required_write_action(),
                audit_as=self.audit_as("create"),
                message="Your role does not allow you to add these records.",
            )

    def list(self, request, *args, **kwargs):
        access.require(
            request,
            self.view_action,
            check=self.may_list,
            audit_as=self.audit_as("list"),
            message="Your role does not allow you to see these records.",
        )
        response = super().list(request, *args, **kwargs)
        auditing.record_list_access(
            request=request,
            user=request.user,
            action=self.audit_as("list"),
            household_ids=[self.household_of(obj).pk for obj in getattr(self, "_listed", [])],
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
            auditing.record_access(
                request=self.request,
                user=self.request.user,
                action=self.audit_as(self.action),
                household_id=None,
                allowed=False,
                detail="no such record",
            )
            raise exceptions.NotFound() from None
        household = self.household_of(obj)
        if self.request.method in permissions.SAFE_METHODS:
            check = lambda user: self.may_read(user, obj, household)  # noqa: E731 - the question for this record
            access.require(self.request, self.view_action, household, check=check, audit_as=self.audit_as(self.action))
        else:
            access.require(self.request, self.required_write_action(), household, audit_as=self.audit_as(self.action))
        return obj


class HouseholdRecordsAddViewSet(mixins.CreateModelMixin, HouseholdRecordsReadViewSet, metaclass=ABCMeta):
    """Records that are added (a visit, a check, a result) and then stand as they were recorded.

    Adding asks the gate itself, for the household the new record belongs to (found along `household_from`, a dotted
    path through the validated data: "household", "service_user.household", "visit.household"), then calls the
    subclass's `create_record`, which calls one service. No endpoint can forget the check.
    """

    household_from: str | None = "household"  # None: the record is a new household

    def household_for_create(self, data):
        if self.household_from is None:
            return None
        value = data
        for part in self.household_from.split("."):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        household = self.household_for_create(data)
        access.require(
            self.request,
            self.required_write_action(),
            household,
            audit_as=self.audit_as("create"),
            message="You may not add records to this family.",
        )
        serializer.instance = self.create_record(household=household, data=data, user=self.request.user)

    @abstractmethod
    def create_record(self, *, household, data: dict, user):
        """Call the service that adds the record, and return it."""


class HouseholdScopedViewSet(mixins.UpdateModelMixin, HouseholdRecordsAddViewSet):
    """Records that are added and changed (who lives with whom, prescriptions). Changing asks the gate in
    `get_object`, then calls the subclass's `update_record` (one service)."""

    def perform_update(self, serializer):
        self.update_record(instance=serializer.instance, data=dict(serializer.validated_data), user=self.request.user)

    @abstractmethod
    def update_record(self, *, instance, data: dict, user):
        """Call the service that changes the record."""


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
    optional_fields: list[str] = []
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
        access.require(
            request,
            self.required_action,
            audit_as=auditing.batch(self.audit_name),
            message="Your role does not send these records.",
        )
        records = self._records(request)
        if len(records) > self.max_rows:
            raise exceptions.ValidationError({"records": [f"Send at most {self.max_rows:,} records in one batch"]})
        report = self.run(records, user)
        if report.refused:
            auditing.record_access(
                request=request,
                user=user,
                action=auditing.batch(self.audit_name),
                household_id=None,
                allowed=False,
                detail=f"{report.refused} row(s) beyond the sender's reach refused",
            )
        return Response(report.as_dict(), status=status.HTTP_200_OK)

    def _records(self, request) -> list[tuple[str, ...]]:
        """The body's records, read to the end (at most one more than `max_rows`), so a body that cannot be read is a
        400 before anything is stored."""
        if request.content_type.startswith("text/csv"):
            try:
                text = request.body.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise exceptions.ValidationError({"records": ["Send the CSV as UTF-8 text"]}) from None
            rows = core_imports.read_csv(io.StringIO(text, newline=""), self.fields, self.optional_fields)
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


class ChronologyEventSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    by = serializers.CharField()


class ChronologyQuerySerializer(serializers.Serializer):
    kinds = serializers.CharField(required=False, help_text="Kinds of event, separated by commas (all when absent)")
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["until"] < attrs["since"]:
            raise serializers.ValidationError({"until": "The end of the period must be the same as or after its start"})
        return attrs


def chronology_response(request, household, sources):
    """The household's chronology from `sources`, filtered by the query string (`kinds`, `since`, `until`)."""
    query = ChronologyQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    kinds = {k.strip() for k in query.validated_data.get("kinds", "").split(",") if k.strip()}
    chosen = [s for s in sources if s.key in kinds] if kinds else sources
    events = households.chronology(
        household, sources=chosen, since=query.validated_data.get("since"), until=query.validated_data.get("until")
    )
    return Response(ChronologyEventSerializer(events, many=True).data)
