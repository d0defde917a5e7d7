from django.urls import path

from . import views

app_name = "management"
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<slug:measure>/", views.MissingView.as_view(), name="missing"),
    path("dashboard/<slug:measure>/families.csv", views.MissingCsvView.as_view(), name="missing_csv"),
    path("supervision/", views.SupervisionDueView.as_view(), name="supervision_due"),
    path("training/", views.TrainingView.as_view(), name="training"),
    path("services-we-work-with/", views.ServicesInUseView.as_view(), name="services_in_use"),
    path("training/record/", views.RecordTrainingView.as_view(), name="record_training"),
    path("households/<id:household_id>/supervision/", views.SupervisionTabView.as_view(), name="supervision"),
    path(
        "households/<id:household_id>/supervision/record/",
        views.RecordSupervisionView.as_view(),
        name="record_supervision",
    ),
    path("reports/", views.ReportView.as_view(), name="report"),
    path("reports/report.csv", views.ReportCsvView.as_view(), name="report_csv"),
    path("reports/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
]
