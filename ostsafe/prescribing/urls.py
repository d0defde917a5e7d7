from django.urls import path

from . import views

app_name = "prescribing"
urlpatterns = [
    path("prescribing/", views.PrescribingTodayView.as_view(), name="today"),
    path("take-home-overrides/", views.TakeHomeOverridesView.as_view(), name="overrides"),
    path(
        "households/<id:household_id>/prescriptions/<id:pk>/take-home-review/",
        views.TakeHomeReviewView.as_view(),
        name="take_home_review",
    ),
    path(
        "households/<id:household_id>/service-users/<id:service_user_id>/prescriptions/add/",
        views.PrescriptionAddView.as_view(),
        name="add",
    ),
    path("households/<id:household_id>/prescriptions/<id:pk>/edit/", views.PrescriptionEditView.as_view(), name="edit"),
]
