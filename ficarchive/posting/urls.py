from django.urls import path

from . import views

app_name = "posting"
urlpatterns = [
    path("works/new/", views.new_work, name="new_work"),
    path("works/<int:work_id>/edit/", views.edit_work, name="edit_work"),
    path("works/<int:work_id>/delete/", views.delete_work, name="delete_work"),
    path("works/<int:work_id>/chapters/new/", views.chapter_form, name="add_chapter"),
    path("works/<int:work_id>/chapters/order/", views.reorder_chapters, name="reorder"),
    path(
        "works/<int:work_id>/chapters/<int:position>/edit/", views.chapter_form, name="edit_chapter"
    ),
    path(
        "works/<int:work_id>/chapters/<int:position>/delete/",
        views.delete_chapter,
        name="delete_chapter",
    ),
    path("my/works/", views.dashboard, name="dashboard"),
    path("drafts/<int:draft_id>/delete/", views.delete_draft, name="delete_draft"),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("series/<int:series_id>/edit/", views.edit_series, name="edit_series"),
    path("gifts/<int:gift_id>/refuse/", views.refuse_gift, name="refuse_gift"),
    path("invitations/<int:invitation_id>/", views.answer_invitation, name="answer_invitation"),
    path("posting/autocomplete/", views.autocomplete, name="autocomplete"),
]
