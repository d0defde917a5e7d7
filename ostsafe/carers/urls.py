from django.urls import path

from . import views

app_name = "carers"

H = "households/<id:household_id>/family-support/"

urlpatterns = [
    path(H, views.FamilySupportTabView.as_view(), name="tab"),
    path(H + "members/<id:member_id>/", views.RecordCarerView.as_view(), name="record"),
    path(H + "<id:pk>/needs/", views.ChangeSupportNeedsView.as_view(), name="needs"),
    path(H + "<id:pk>/offer/", views.OfferSupportView.as_view(), name="offer"),
    path(H + "offers/<id:pk>/outcome/", views.RecordOutcomeView.as_view(), name="outcome"),
]
