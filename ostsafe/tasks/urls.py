from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.MyTasksView.as_view(), name="mine"),
    path("tasks/team/", views.TeamTasksView.as_view(), name="team"),
    path("households/<id:household_id>/tasks/<id:pk>/done/", views.CompleteTaskView.as_view(), name="complete"),
]
