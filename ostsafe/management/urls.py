from django.urls import path

from . import views

app_name = "management"
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<slug:measure>/", views.MissingView.as_view(), name="missing"),
    path("dashboard/<slug:measure>/families.csv", views.MissingCsvView.as_view(), name="missing_csv"),
]
