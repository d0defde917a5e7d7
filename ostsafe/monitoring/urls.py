from django.urls import path

from . import views

app_name = "monitoring"
H = "households/<id:household_id>/monitoring/"
urlpatterns = [
    path(H + "appointments/add/", views.AppointmentView.as_view(), name="appointment"),
    path(H + "tests/add/", views.TestResultView.as_view(), name="test_result"),
    path(H + "concerns/add/", views.ConcernView.as_view(), name="concern"),
]
