from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("exports/ndtms/", views.NdtmsView.as_view(), name="ndtms"),
    path("exports/ndtms/extract.csv", views.NdtmsCsvView.as_view(), name="ndtms_csv"),
]
