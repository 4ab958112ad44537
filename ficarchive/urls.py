from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ficarchive.accounts.views import LoginView
from ficarchive.api.endpoints import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("ficarchive.accounts.urls")),
    path("", include("ficarchive.posting.urls")),
    path("", include("ficarchive.community.urls")),
    path("", include("ficarchive.importing.urls")),
    path("", include("ficarchive.claims.urls")),
    path("", include("ficarchive.moderation.urls")),
    path("", include("ficarchive.wrangling.urls")),
    path("api/v1/", api.urls),
    path("", include("ficarchive.feeds.urls")),
    path("", include("ficarchive.search.urls")),
    path("", include("ficarchive.archive.urls")),
]

handler404 = "ficarchive.archive.views.not_found"
handler500 = "ficarchive.archive.views.server_error"
