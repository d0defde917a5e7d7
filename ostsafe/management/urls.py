from django.urls import path

from . import views

app_name = "management"
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<slug:measure>/", views.MissingView.as_view(), name="missing"),
    path("dashboard/<slug:measure>/families.csv", views.MissingCsvView.as_view(), name="missing_csv"),
    path("reports/", views.ReportView.as_view(), name="report"),
    path("reports/report.csv", views.ReportCsvView.as_view(), name="report_csv"),
    path("reports/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
]
