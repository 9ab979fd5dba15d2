"""The conversation pages' URLs (pool.urls gathers them under the "pool" namespace)."""

from django.urls import path

from pool import views_conversation as views

urlpatterns = [
    path("reports/<int:pk>/messages/", views.MessagesView.as_view(), name="messages"),
    path("reports/<int:pk>/appeal/", views.AppealCreateView.as_view(), name="appeal-create"),
    path("appeals/", views.AppealQueueView.as_view(), name="appeals"),
    path("appeals/<int:pk>/", views.AppealDecideView.as_view(), name="appeal"),
]
