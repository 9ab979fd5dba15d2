from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="update"),
    path("<int:pk>/actions/", views.ActionAddView.as_view(), name="action-add"),
    path("actions/<int:pk>/done/", views.ActionDoneView.as_view(), name="action-done"),
    path("<int:pk>/sign-off/", views.SignOffView.as_view(), name="sign-off"),
    path("<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("triggers/", views.TriggerListView.as_view(), name="triggers"),
    path("triggers/new/", views.TriggerCreateView.as_view(), name="trigger-create"),
    path("triggers/<int:pk>/", views.TriggerUpdateView.as_view(), name="trigger-update"),
]
