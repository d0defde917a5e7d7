"""A URLconf of its own for test_links (a link is not answered from the URLconf it replaced)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/<id:pk>/", lambda request, pk: HttpResponse(), name="moved")]
