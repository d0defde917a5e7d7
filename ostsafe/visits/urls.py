from django.urls import path

from . import views

app_name = "visits"
H = "households/<id:household_id>/visits/"
urlpatterns = [
    path(H, views.VisitsTabView.as_view(), name="tab"),
    path(H + "plan/", views.PlanVisitView.as_view(), name="plan"),
    path(H + "record/", views.RecordVisitView.as_view(), name="record"),
    path(H + "<id:visit_id>/storage/<id:service_user_id>/", views.StorageCheckView.as_view(), name="storage_check"),
]
