from django.urls import path

from . import views

app_name = "prescribing"
urlpatterns = [
    path("take-home-overrides/", views.TakeHomeOverridesView.as_view(), name="overrides"),
    path(
        "households/<id:household_id>/service-users/<id:service_user_id>/prescriptions/add/",
        views.PrescriptionAddView.as_view(),
        name="add",
    ),
    path("households/<id:household_id>/prescriptions/<id:pk>/edit/", views.PrescriptionEditView.as_view(), name="edit"),
]
