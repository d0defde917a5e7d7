from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("directory/add/", views.AddLocalServiceView.as_view(), name="add"),
    path("directory/<id:pk>/", views.LocalServiceView.as_view(), name="service"),
    path("directory/<id:pk>/change/", views.ChangeLocalServiceView.as_view(), name="change"),
    path("directory/<id:pk>/retire/", views.RetireLocalServiceView.as_view(), name="retire"),
]
