from django.urls import path

from xuanchuan.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("otp/setup/", views.OTPSetupView.as_view(), name="otp_setup"),
    path("otp/verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
]
