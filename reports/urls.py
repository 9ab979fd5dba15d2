from django.urls import path

from reports import export_views, subscription_views, views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("locations/<int:pk>/", views.LocationReportView.as_view(), name="location"),
    path("employees/<int:pk>/", views.EmployeeReportView.as_view(), name="employee"),
    path("export/<str:exporter>.<str:fmt>", export_views.ExportView.as_view(), name="export"),
    path("export/<str:exporter>/<int:object_id>.<str:fmt>", export_views.ExportView.as_view(), name="export-object"),
    path("exports/<int:pk>/", export_views.ExportJobView.as_view(), name="export-job"),
    path("exports/<int:pk>/download/", export_views.ExportDownloadView.as_view(), name="export-download"),
    path("exports/<int:pk>/retry/", export_views.ExportRetryView.as_view(), name="export-retry"),
    path("subscriptions/", subscription_views.SubscriptionListView.as_view(), name="subscriptions"),
    path("subscriptions/new/<str:report>/", subscription_views.SubscribeView.as_view(), name="subscribe"),
    path("subscriptions/new/<str:report>/<int:object_id>/", subscription_views.SubscribeView.as_view(),
         name="subscribe-object"),
    path("subscriptions/<int:pk>/", subscription_views.SubscriptionEditView.as_view(), name="subscription-edit"),
    path("subscriptions/<int:pk>/pause/", subscription_views.SubscriptionPauseView.as_view(), name="subscription-pause"),
    path("subscriptions/<int:pk>/delete/", subscription_views.SubscriptionDeleteView.as_view(),
         name="subscription-delete"),
    path("unsubscribe/<str:token>/", subscription_views.UnsubscribeView.as_view(), name="unsubscribe"),
]
