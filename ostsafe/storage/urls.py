from django.urls import path

from . import views

app_name = "storage"
H = "households/<id:household_id>/storage/"
S = H + "<id:service_user_id>/"
urlpatterns = [
    path(H, views.StorageTabView.as_view(), name="tab"),
    path(S + "box/issue/", views.IssueBoxView.as_view(), name="issue_box"),
    path(S + "box/<id:pk>/returned/", views.ReturnBoxView.as_view(), name="return_box"),
    path(S + "must-share/", views.MustShareView.as_view(), name="must_share"),
    path(S + "leaflet/", views.LeafletGivenView.as_view(), name="leaflet_given"),
    path("safety-boxes/", views.BoxStockView.as_view(), name="stock"),
    path("safety-boxes/issue/", views.IssueBoxInPersonView.as_view(), name="issue_in_person"),
    path("safety-boxes/needed/", views.NeedsSafetyBoxView.as_view(), name="needed"),
    path("leaflet/safe-storage.pdf", views.LeafletPdfView.as_view(), name="leaflet_pdf"),
]
