from django.urls import path

from . import views

app_name = "plans"
A = "households/<id:household_id>/agreement/"
P = "households/<id:household_id>/plan/"
urlpatterns = [
    path(A, views.AgreementTabView.as_view(), name="agreement"),
    path(A + "draft/", views.DraftAgreementView.as_view(), name="agreement_draft"),
    path(A + "<id:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path(A + "<id:pk>/agreement.pdf", views.AgreementPdfView.as_view(), name="agreement_pdf"),
    path(A + "<id:pk>/scan/", views.AgreementScanView.as_view(), name="agreement_scan"),
    path(A + "<id:pk>/sign/", views.SignOnScreenView.as_view(), name="agreement_sign"),
    path(A + "<id:pk>/paper/", views.SignOnPaperView.as_view(), name="agreement_paper"),
    path(A + "<id:pk>/not-signed/", views.NotForthcomingView.as_view(), name="agreement_not_forthcoming"),
    path(
        "shared/<id:household_id>/agreement/<id:pk>.pdf",
        views.SharedAgreementPdfView.as_view(),
        name="shared_agreement_pdf",
    ),
    path(P, views.PlanTabView.as_view(), name="plan"),
    path(P + "start/", views.StartPlanView.as_view(), name="plan_start"),
    path(P + "actions/add/", views.AddActionView.as_view(), name="action_add"),
    path(P + "actions/<id:pk>/change/", views.ChangeActionView.as_view(), name="action_change"),
    path(P + "review/", views.ReviewPlanView.as_view(), name="review"),
    path(P + "family-copy/", views.FamilyCopyView.as_view(), name="family_copy"),
    path(P + "family-copy/our-plan.pdf", views.FamilyCopyPdfView.as_view(), name="family_copy_pdf"),
    path(P + "strengths/add/", views.AddStrengthView.as_view(), name="strength_add"),
    path(P + "disagreements/add/", views.RecordDisagreementView.as_view(), name="disagreement_add"),
    path(P + "disagreements/<id:pk>/settle/", views.SettleDisagreementView.as_view(), name="disagreement_settle"),
    path(P + "meetings/record/", views.MeetingView.as_view(), name="meeting"),
]
