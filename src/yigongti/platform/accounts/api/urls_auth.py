from django.urls import path

from yigongti.platform.accounts.api import auth_views

urlpatterns = [
    path("login", auth_views.LoginView.as_view(), name="auth-login"),
    path("otp", auth_views.OtpView.as_view(), name="auth-otp"),
    path("password", auth_views.PasswordView.as_view(), name="auth-password"),
    path("logout", auth_views.LogoutView.as_view(), name="auth-logout"),
    path("me", auth_views.MeView.as_view(), name="auth-me"),
    path("switch", auth_views.SwitchView.as_view(), name="auth-switch"),
]
