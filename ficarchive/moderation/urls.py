from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("moderation/reports/<int:report_id>/<str:step>/", views.handle_report, name="handle"),
    path("moderation/audit/", views.audit_log, name="audit"),
    path("moderation/hide/<str:kind>/<int:pk>/", views.hide, name="hide"),
    path("moderation/restore/<str:kind>/<int:pk>/", views.restore, name="restore"),
]
