from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qa import interaction_views, review_views, views, visit_views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation-list"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path("visits/<int:pk>/accept/", visit_views.AcceptView.as_view(), name="visit-accept"),
    path("visits/<int:pk>/report/", visit_views.VisitReportView.as_view(), name="visit-report"),
    path("visits/<int:pk>/draft/", visit_views.DraftView.as_view(), name="visit-draft"),
    path("visits/<int:pk>/evidence/", visit_views.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("evidence/<int:pk>/", visit_views.EvidenceFileView.as_view(), name="evidence-file"),
    path("evidence/<int:pk>/delete/", visit_views.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("reviews/", review_views.ReviewQueueView.as_view(), name="review-queue"),
    path("reviews/<int:pk>/", review_views.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<int:pk>/answers/<int:answer_pk>/correct/", review_views.CorrectAnswerView.as_view(),
         name="review-correct"),
    path("reviews/<int:pk>/return/", review_views.ReturnReportView.as_view(), name="review-return"),
    path("reviews/<int:pk>/approve/", review_views.ApproveReportView.as_view(), name="review-approve"),
    path("reviews/<int:pk>/reject/", review_views.RejectReportView.as_view(), name="review-reject"),
    path("interactions/", interaction_views.InteractionListView.as_view(), name="interaction-list"),
    path("interactions/new/", interaction_views.InteractionCreateView.as_view(), name="interaction-create"),
    path("interactions/<int:pk>/", interaction_views.InteractionDetailView.as_view(), name="interaction-detail"),
    path("recordings/<int:pk>/", interaction_views.RecordingFileView.as_view(), name="recording-file"),
    path("assignments/", include("shops.urls")),
    path("account/time-zone/", views.TimeZoneView.as_view(), name="account-time-zone"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("scorecards/", include("scorecards.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
