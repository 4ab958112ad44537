from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("works/<int:work_id>/kudos/", views.kudos, name="kudos"),
    path("works/<int:work_id>/comments/", views.add_comment, name="add_comment"),
    path("works/<int:work_id>/bookmark/", views.bookmark, name="bookmark"),
    path("works/<int:work_id>/subscribe/", views.subscribe_work, name="subscribe_work"),
    path("works/<int:work_id>/later/", views.later, name="later"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit_comment"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete_comment"),
    path("comments/<int:comment_id>/approve/", views.approve_comment, name="approve_comment"),
    path("bookmarks/<int:bookmark_id>/delete/", views.delete_bookmark, name="delete_bookmark"),
    path("creators/<str:slug>/subscribe/", views.subscribe_creator, name="subscribe_creator"),
    path("users/<str:username>/bookmarks/", views.user_bookmarks, name="user_bookmarks"),
    path("inbox/", views.inbox, name="inbox"),
    path("users/<str:username>/block/", views.block_or_mute, name="block_or_mute"),
    path("accounts/blocked/", views.blocked, name="blocked"),
    path("history/", views.history, name="history"),
]
