app_name = "feeds"
urlpatterns: list = []
