from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/confirm/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("accounts/confirm/<str:token>/", views.confirm_email, name="confirm"),
    path("accounts/invitations/", views.invitations, name="invitations"),
    path("accounts/profile/", views.edit_profile, name="edit_profile"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("accounts/pseuds/", views.add_pseud, name="add_pseud"),
    path("accounts/delete/", views.delete_account, name="delete"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"heading": "Change your password", "button": "Change password"},
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={"heading": "Password changed", "message": "Your password is changed."},
        ),
        name="password_change_done",
    ),
    path(
        "accounts/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/form_page.html",
            email_template_name="accounts/mail/password_reset.txt",
            subject_template_name="accounts/mail/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={
                "heading": "Reset your password",
                "button": "Send me a reset link",
                "intro": "Give your account's email address; a link to choose a new password "
                "is mailed to it.",
            },
        ),
        name="password_reset",
    ),
    path(
        "accounts/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "heading": "Check your mail",
                "message": "If that address belongs to an account, a reset link is on its way.",
            },
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "heading": "Password reset",
                "message": "Log in with your new password.",
            },
        ),
        name="password_reset_complete",
    ),
    path("users/<str:username>/", views.profile, name="profile"),
    path("creators/<str:slug>/assign/", views.assign_creator, name="assign_creator"),
]
