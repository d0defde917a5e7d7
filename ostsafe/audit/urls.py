from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.AccessLogView.as_view(), name="events"),
    path("households/<id:household_id>/access-log/", views.HouseholdAccessLogView.as_view(), name="household"),
]
