from django.urls import path

from reports import export_views, views

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
]
