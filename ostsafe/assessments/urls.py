from django.urls import path

from . import views

app_name = "assessments"
H = "households/<id:household_id>/assessment/"
urlpatterns = [
    path(H, views.AssessmentTabView.as_view(), name="tab"),
    path(H + "start/", views.StartAssessmentView.as_view(), name="start"),
    path(H + "<id:pk>/", views.AssessmentDetailView.as_view(), name="detail"),
    path(H + "<id:pk>/answers/", views.AssessmentTaskListView.as_view(), name="answer"),
    path(H + "<id:pk>/answers/all/", views.AnswerAssessmentView.as_view(), name="answer_all"),
    path(H + "<id:pk>/answers/<slug:section>/", views.AnswerSectionView.as_view(), name="section"),
    path(H + "<id:pk>/level/", views.DecideLevelView.as_view(), name="decide"),
    path(H + "pre-birth/", views.PreBirthRequestView.as_view(), name="pre_birth_request"),
    path(H + "family-views/add/", views.RecordFamilyViewView.as_view(), name="family_view_add"),
    path(H + "pre-birth/<id:pk>/outcome/", views.PreBirthOutcomeView.as_view(), name="pre_birth_outcome"),
]
