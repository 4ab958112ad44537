from django.apps import AppConfig


class WranglingConfig(AppConfig):
    name = "ficarchive.wrangling"
    label = "wrangling"
    verbose_name = "Tag wrangling"
