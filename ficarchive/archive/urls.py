from django.urls import path

from ficarchive.search.views import tag_works, work_index

from . import downloads, views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("works/", work_index, name="works"),
    path("works/<int:work_id>/", views.work_detail, name="work"),
    path("works/<int:work_id>/proceed/", views.adult_consent, name="adult_consent"),
    path("works/<int:work_id>/chapters/", views.chapter_jump, name="chapter_jump"),
    path("works/<int:work_id>/download/<str:fmt>/", downloads.download, name="download"),
    path("works/<int:work_id>/chapters/<int:position>/", views.chapter_detail, name="chapter"),
    path(
        "works/<int:work_id>/suggestions/<int:work_tag_id>/",
        views.review_suggestion,
        name="review_suggestion",
    ),
    path("creators/<str:slug>/", views.creator_detail, name="creator"),
    path("tags/<str:tag_type>/", views.tag_index, name="tags"),
    path("tags/<str:tag_type>/<str:slug>/", tag_works, name="tag"),
]
