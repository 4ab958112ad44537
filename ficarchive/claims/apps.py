from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "ficarchive.claims"
    label = "claims"
    verbose_name = "Claims: imported creators invited to claim their works"
