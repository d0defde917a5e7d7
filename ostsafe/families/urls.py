from django.urls import path, register_converter

from . import views


class MemberKindConverter:
    regex = "child|adult"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MemberKindConverter, "member_kind")

app_name = "families"
H = "households/<id:household_id>/"
urlpatterns = [
    path("caseload/", views.CaseloadView.as_view(), name="caseload"),
    path("service-users/register/", views.RegisterServiceUserView.as_view(), name="register"),
    path(H, views.HouseholdView.as_view(), name="household"),
    path(H + "edit/", views.HouseholdEditView.as_view(), name="household_edit"),
    path(H + "service-users/add/", views.ServiceUserAddView.as_view(), name="service_user_add"),
    path(H + "service-users/<id:pk>/", views.ServiceUserView.as_view(), name="service_user"),
    path(H + "service-users/<id:pk>/edit/", views.ServiceUserEditView.as_view(), name="service_user_edit"),
    path(
        H + "service-users/<id:service_user_id>/child-contacts/add/",
        views.ChildContactAddView.as_view(),
        name="child_contact_add",
    ),
    path(
        H + "service-users/<id:service_user_id>/child-contacts/<id:pk>/edit/",
        views.ChildContactEditView.as_view(),
        name="child_contact_edit",
    ),
    path(H + "members/add/<member_kind:kind>/", views.MemberAddView.as_view(), name="member_add"),
    path(H + "members/<id:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path(H + "network/add/", views.InvolvementAddView.as_view(), name="involvement_add"),
    path(H + "network/<id:pk>/edit/", views.InvolvementEditView.as_view(), name="involvement_edit"),
]
