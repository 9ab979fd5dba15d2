from django.urls import path

from shops import views

urlpatterns = [
    path("", views.AssignmentListView.as_view(), name="assignment-list"),
    path("new/", views.AssignmentCreateView.as_view(), name="assignment-create"),
    path("bulk/", views.AssignmentBulkCreateView.as_view(), name="assignment-bulk"),
    path("<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("<int:pk>/cancel/", views.AssignmentCancelView.as_view(), name="assignment-cancel"),
    path("payments/", views.PaymentsView.as_view(), name="payments"),
]
