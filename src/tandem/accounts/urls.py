from django.urls import path

from tandem.accounts import api_tokens_views

app_name = "accounts"
urlpatterns = [
    path("api-tokens/", api_tokens_views.api_tokens_page, name="api_token_list"),
    path("api-tokens/new/", api_tokens_views.api_token_new_page, name="api_token_new"),
    path(
        "api-tokens/revoke-all/",
        api_tokens_views.api_token_revoke_all_page,
        name="api_token_revoke_all",
    ),
    path(
        "api-tokens/<str:token_key>/revoke/",
        api_tokens_views.api_token_revoke_page,
        name="api_token_revoke",
    ),
]
