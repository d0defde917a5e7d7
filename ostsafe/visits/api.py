from rest_framework import serializers

from ostsafe.accounts.models import User
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdScopedViewSet
from ostsafe.families.models import HouseholdMember, ServiceUser

from . import services
from .models import ChildObservation, HomeVisit, StorageCheck


class ChildObservationSerializer(serializers.ModelSerializer):
    child = serializers.PrimaryKeyRelatedField(queryset=HouseholdMember.objects.all())

    class Meta:
        model = ChildObservation
        fields = ["child", "seen", "note"]


class HomeVisitSerializer(serializers.ModelSerializer):
    child_observations = ChildObservationSerializer(many=True)
    visitors = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all())
    service_users_seen = serializers.PrimaryKeyRelatedField(many=True, queryset=ServiceUser.objects.all())

    class Meta:
        model = HomeVisit
        fields = [
            "id",
            "household",
            "status",
            "planned_for",
            "visited_on",
            "visitors",
            "service_users_seen",
            "child_observations",
            "notes",
        ]
        read_only_fields = ["status", "planned_for"]
        extra_kwargs = {"visited_on": {"required": True, "allow_null": False}}


class StorageCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = StorageCheck
        fields = [
            "id",
            "visit",
            "service_user",
            "checked_on",
            "verification",
            "location",
            "out_of_sight_and_reach",
            "locked_box_in_use",
            "box_locked",
            "other_substances_safe",
            "empty_bottles_disposed",
            "advice_given",
            "compliment_given",
            "satisfied",
            "follow_up_due_on",
        ]
        read_only_fields = ["checked_on", "follow_up_due_on"]


class HomeVisitViewSet(HouseholdScopedViewSet):
    """Home visits. POST records a visit that happened, with an observation for every child at home."""

    queryset = HomeVisit.objects.select_related("household__team").prefetch_related(
        "visitors", "service_users_seen", "child_observations"
    )
    serializer_class = HomeVisitSerializer
    edit_action = Action.RECORD_VISIT
    audit_name = "home_visit"
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.check_household_for_create(data["household"])
        serializer.instance = services.record_home_visit(
            household=data["household"],
            visited_on=data["visited_on"],
            recorded_by=self.request.user,
            visitors=data["visitors"],
            service_users_seen=data["service_users_seen"],
            child_observations=[(o["child"], o["seen"], o.get("note", "")) for o in data["child_observations"]],
            notes=data.get("notes", ""),
        )


class StorageCheckViewSet(HouseholdScopedViewSet):
    """Storage checks. POST records one at a completed visit; a check only claimed or not satisfied makes a task."""

    queryset = StorageCheck.objects.select_related("visit__household__team")
    serializer_class = StorageCheckSerializer
    household_lookup = "visit__household__"
    edit_action = Action.RECORD_VISIT
    audit_name = "storage_check"
    http_method_names = ["get", "post", "head", "options"]

    def household_of(self, obj):
        return obj.visit.household

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        visit, service_user = data.pop("visit"), data.pop("service_user")
        self.check_household_for_create(visit.household)
        serializer.instance = services.record_storage_check(
            visit=visit, service_user=service_user, checked_by=self.request.user, **data
        )
