from django.urls import path, re_path

from . import views

app_name = "families"
H = "households/<int:household_id>/"
urlpatterns = [
    path("caseload/", views.CaseloadView.as_view(), name="caseload"),
    path("service-users/register/", views.RegisterServiceUserView.as_view(), name="register"),
    path(H, views.HouseholdView.as_view(), name="household"),
    path(H + "edit/", views.HouseholdEditView.as_view(), name="household_edit"),
    path(H + "service-users/add/", views.ServiceUserAddView.as_view(), name="service_user_add"),
    path(H + "service-users/<int:pk>/", views.ServiceUserView.as_view(), name="service_user"),
    path(H + "service-users/<int:pk>/edit/", views.ServiceUserEditView.as_view(), name="service_user_edit"),
    path(
        H + "service-users/<int:service_user_id>/child-contacts/add/",
        views.ChildContactAddView.as_view(),
        name="child_contact_add",
    ),
    path(
        H + "service-users/<int:service_user_id>/child-contacts/<int:pk>/edit/",
        views.ChildContactEditView.as_view(),
        name="child_contact_edit",
    ),
    re_path(
        r"^households/(?P<household_id>[0-9]+)/members/add/(?P<kind>child|adult)/$",
        views.MemberAddView.as_view(),
        name="member_add",
    ),
    path(H + "members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path(H + "network/add/", views.InvolvementAddView.as_view(), name="involvement_add"),
    path(H + "network/<int:pk>/edit/", views.InvolvementEditView.as_view(), name="involvement_edit"),
]
