from django.urls import path

from . import views

app_name = "sharing"
H = "households/<id:household_id>/sharing/"
urlpatterns = [
    path(H, views.SharingTabView.as_view(), name="tab"),
    path(H + "consent/", views.RecordConsentView.as_view(), name="consent_add"),
    path(H + "consent/<id:pk>/withdraw/", views.WithdrawConsentView.as_view(), name="consent_withdraw"),
    path(H + "consent/<id:pk>/team-discussion/", views.TeamDiscussionView.as_view(), name="team_discussion"),
    path("shared/", views.SharedWithMeView.as_view(), name="shared_with_me"),
    path("shared/<id:household_id>/", views.SharedView.as_view(), name="shared"),
]
