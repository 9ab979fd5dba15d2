from django.urls import path

from autoqa import views

app_name = "autoqa"

urlpatterns = [
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("rules/<int:scorecard_id>/items/<int:item_id>/", views.RuleEditView.as_view(), name="rule-edit"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule-delete"),
    path("trust/", views.TrustView.as_view(), name="trust"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
    path("alerts/<int:pk>/", views.AlertEditView.as_view(), name="alert-edit"),
    path("transcripts/<int:interaction_id>/status/", views.TranscriptStatusView.as_view(), name="transcript-status"),
]
