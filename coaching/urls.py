"""Coaching sessions, their templates, and self-assessment."""
from django.urls import path

from coaching import self_views, views

app_name = "coaching"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="list"),
    path("new/", views.SessionCreateView.as_view(), name="new"),
    path("<int:pk>/", views.SessionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SessionEditView.as_view(), name="edit"),
    path("<int:pk>/confirm/", views.SessionConfirmView.as_view(), name="confirm"),
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/new/", views.TemplateEditView.as_view(), name="template-new"),
    path("templates/<int:pk>/", views.TemplateEditView.as_view(), name="template-edit"),
    path("self-assessment/settings/", self_views.SelfSettingsView.as_view(), name="self-settings"),
    path("self-assessment/", self_views.SelfListView.as_view(), name="self-list"),
    path("self-assessment/<int:pk>/", self_views.SelfAssessView.as_view(), name="self-assess"),
    path("self-assessment/<int:pk>/recording/", self_views.SelfRecordingView.as_view(), name="self-recording"),
]
