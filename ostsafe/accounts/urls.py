from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("stay-signed-in/", views.StaySignedInView.as_view(), name="stay_signed_in"),
    path("two-factor/set-up/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Your own account: not open to a session that has not passed two-factor sign-in.
    path("security/", views.AccountView.as_view(), name="account"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "security/authenticators/<id:pk>/remove/",
        views.RemoveAuthenticatorView.as_view(),
        name="authenticator_remove",
    ),
    path("security/api-tokens/new/", views.ApiTokenCreateView.as_view(), name="api_token_create"),
    path("security/api-tokens/<id:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
]
