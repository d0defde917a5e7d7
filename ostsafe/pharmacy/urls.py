from django.urls import path

from . import views

app_name = "pharmacy"
urlpatterns = [
    path("counter/", views.CounterView.as_view(), name="counter"),
    path("counter/record/", views.RecordDoseView.as_view(), name="record"),
    path("counter/records/<id:pk>/undo/", views.UndoDoseView.as_view(), name="undo"),
    path("counter/records/<id:pk>/correct/", views.CorrectDoseView.as_view(), name="correct"),
    path("counter/records-delayed/", views.RecordsDelayedView.as_view(), name="records_delayed"),
    path("counter/records-delayed/<id:pk>/arrived/", views.RecordsArrivedView.as_view(), name="records_arrived"),
    path("counter/<id:prescription_id>/concern/", views.ConcernView.as_view(), name="concern"),
    path("households/<id:household_id>/pharmacy/", views.PharmacyTabView.as_view(), name="tab"),
]
