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
L = H + "letters/<id:pk>/"
S = "shared/<id:household_id>/"
urlpatterns += [
    path(
        H + "consent/<id:pk>/routine-notification/", views.DraftRoutineNotificationView.as_view(), name="letter_draft"
    ),
    path(L, views.LetterView.as_view(), name="letter"),
    path(L + "send/", views.SendLetterView.as_view(), name="letter_send"),
    path(L + "not-sent/", views.CancelLetterView.as_view(), name="letter_cancel"),
    path(L + "call/", views.FollowUpCallView.as_view(), name="letter_call"),
    path(L + "letter.pdf", views.LetterPdfView.as_view(), name="letter_pdf"),
    path(S + "letters/<id:pk>/", views.SharedLetterView.as_view(), name="shared_letter"),
    path(S + "letters/<id:pk>/letter.pdf", views.SharedLetterPdfView.as_view(), name="shared_letter_pdf"),
    path(S + "letters/<id:pk>/acknowledge/", views.AcknowledgeLetterView.as_view(), name="shared_letter_acknowledge"),
    path(S + "tell-the-service/", views.PartnerReportView.as_view(), name="partner_report"),
]
R = H + "referrals/<id:pk>/"
urlpatterns += [
    path(H + "decisions/", views.SharingDecisionView.as_view(), name="decision_add"),
    path(H + "decisions/<id:pk>/approve/", views.ApproveDecisionView.as_view(), name="decision_approve"),
    path(H + "referrals/", views.RecordReferralView.as_view(), name="referral_add"),
    path(R, views.ReferralView.as_view(), name="referral"),
    path(R + "referral.pdf", views.ReferralPdfView.as_view(), name="referral_pdf"),
    path(R + "sent/", views.SendReferralView.as_view(), name="referral_send"),
    path(R + "response/", views.ReferralResponseView.as_view(), name="referral_response"),
    path(R + "closed/", views.CloseReferralView.as_view(), name="referral_close"),
]
urlpatterns += [
    path("households/<id:household_id>/break-glass/", views.BreakGlassView.as_view(), name="break_glass"),
    path("break-glass/", views.BreakGlassListView.as_view(), name="break_glass_list"),
    path("break-glass/<id:pk>/review/", views.ReviewBreakGlassView.as_view(), name="break_glass_review"),
]
urlpatterns += [
    path("households/<id:household_id>/chronology/", views.ChronologyView.as_view(), name="chronology"),
    path("households/<id:household_id>/chronology.pdf", views.ChronologyPdfView.as_view(), name="chronology_pdf"),
    path(S + "chronology/", views.SharedChronologyView.as_view(), name="shared_chronology"),
]
