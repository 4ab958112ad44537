from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ficarchive.archive.urls")),
]

handler404 = "ficarchive.archive.views.not_found"
handler500 = "ficarchive.archive.views.server_error"
