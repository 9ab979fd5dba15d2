"""The board pages' URLs (pool.urls gathers them under the "pool" namespace)."""

from django.urls import path

from pool import views_board as views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("jobs/", views.BoardView.as_view(), name="board"),
    path("jobs/<int:pk>/claim/", views.ClaimView.as_view(), name="claim"),
    path("jobs/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("visits/<int:pk>/applicants/", views.ApplicantsView.as_view(), name="applicants"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", views.ProgrammeFormView.as_view(), name="programme-create"),
    path("programmes/<int:pk>/", views.ProgrammeFormView.as_view(), name="programme-update"),
]
