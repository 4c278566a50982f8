from django.urls import path

from tandem.standards import converters, views

app_name = "standards"
urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.framework_detail, name="framework_detail"),
    path(
        f"<slug:slug>/download.<{converters.DOWNLOAD_FORMAT}:file_format>",
        views.framework_download,
        name="framework_download",
    ),
    path(
        f"<slug:slug>/requirements/<{converters.CODE}:code>/",
        views.requirement_detail,
        name="requirement_detail",
    ),
]
