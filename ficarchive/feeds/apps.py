from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "ficarchive.feeds"
    label = "feeds"
    verbose_name = "Feeds and OPDS catalog"
