from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("claims/", views.creators, name="creators"),
    path("claims/creators/<int:creator_id>/invite/", views.invite, name="invite"),
    path("claim/<str:token>/", views.claim, name="claim"),
    path("claim/<str:token>/accept/", views.accept, name="accept"),
    path("claim/<str:token>/remove/", views.remove, name="remove"),
]
