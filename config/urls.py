"""The site's URLs: the home page, sign-in and password pages, the admin, and each app's own URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import accounts, views
from config.forms import SignInForm

handler400 = "config.views.bad_request"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                         authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("assignments/", include("shops.urls")),
    path("scorecards/", include("scorecards.urls")),
    path("reports/", include("reports.urls")),
    path("autoqa/", include("autoqa.urls")),
    path("plans/", include("plans.urls")),
    path("coaching/", include("coaching.urls")),
    path("pool/", include("pool.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", include("qa.urls")),
]
