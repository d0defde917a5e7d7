from django.urls import path

from . import views

app_name = "prescribing"
urlpatterns = [
    path("take-home-overrides/", views.TakeHomeOverridesView.as_view(), name="overrides"),
    path(
        "households/<int:household_id>/service-users/<int:service_user_id>/prescriptions/add/",
        views.PrescriptionAddView.as_view(),
        name="add",
    ),
    path(
        "households/<int:household_id>/prescriptions/<int:pk>/edit/", views.PrescriptionEditView.as_view(), name="edit"
    ),
]
