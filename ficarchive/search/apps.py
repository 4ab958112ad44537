from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ficarchive.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from ficarchive.search import signals

        signals.connect()
