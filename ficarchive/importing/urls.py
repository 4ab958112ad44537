from django.urls import path

from . import views

app_name = "importing"
urlpatterns = [
    path("imports/", views.job_list, name="jobs"),
    path("imports/new/", views.upload, name="upload"),
    path("imports/<int:job_id>/", views.job_detail, name="job"),
    path("imports/<int:job_id>/status.json", views.job_status, name="status"),
    path("imports/<int:job_id>/plan.json", views.plan_download, name="plan_json"),
    path("imports/<int:job_id>/plan/", views.plan_upload, name="plan_upload"),
    path("imports/<int:job_id>/apply/", views.apply, name="apply"),
    path("imports/<int:job_id>/delete/", views.delete, name="delete"),
]
