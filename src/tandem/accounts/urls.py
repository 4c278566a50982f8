from django.urls import path

from tandem.accounts import api_tokens_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("password/", views.password_change_page, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_done, name="password_reset_done"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate_page, name="user_deactivate"),
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
