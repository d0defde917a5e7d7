from django.urls import path

from . import views

app_name = "curiosity"
W = "households/<id:household_id>/warning-signs/"
urlpatterns = [
    path(W, views.WarningSignsTabView.as_view(), name="tab"),
    path(W + "raise/", views.RaiseFlagView.as_view(), name="raise"),
    path(W + "noticed/", views.ObservationView.as_view(), name="observe"),
    path(W + "<id:pk>/acknowledge/", views.AcknowledgeFlagView.as_view(), name="acknowledge"),
]
