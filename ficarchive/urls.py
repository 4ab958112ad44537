from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Log in and out only, for now: creators and archivists review suggested tags.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("ficarchive.search.urls")),
    path("", include("ficarchive.archive.urls")),
]

handler404 = "ficarchive.archive.views.not_found"
handler500 = "ficarchive.archive.views.server_error"
