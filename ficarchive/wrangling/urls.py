from django.urls import path

from . import views

app_name = "wrangling"
urlpatterns = [
    path("wrangling/", views.index, name="index"),
    path("wrangling/<str:tag_type>/", views.tag_list, name="tags"),
    path("wrangling/<str:tag_type>/<str:slug>/", views.tag_detail, name="tag"),
]
