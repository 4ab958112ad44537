from django.urls import path

from . import opds, syndication

app_name = "feeds"
urlpatterns = [
    path("opds/", opds.root, name="opds"),
    path("opds/new/", opds.newest, name="opds_new"),
    path("opds/tags/", opds.tag_types, name="opds_tag_types"),
    path("opds/tags/type/<str:tag_type>/", opds.tags_of_type, name="opds_tag_type"),
    path("opds/tags/<int:tag_id>/", opds.tag_works, name="opds_tag"),
    path("opds/creators/", opds.creators, name="opds_creators"),
    path("opds/creators/<str:slug>/", opds.creator_works, name="opds_creator"),
    path("opds/search/", opds.search, name="opds_search"),
    path("opds/opensearch.xml", opds.opensearch, name="opds_opensearch"),
    path("tags/<str:tag_type>/<str:slug>/feed/", syndication.TagFeed(), name="tag"),
    path("creators/<str:slug>/feed/", syndication.CreatorFeed(), name="creator"),
    path("series/<int:series_id>/feed/", syndication.SeriesFeed(), name="series"),
    path("works/<int:work_id>/chapters/feed/", syndication.ChapterFeed(), name="chapters"),
]
