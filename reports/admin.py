from django.contrib import admin

from reports.models import ExportJob, PolicyTarget


@admin.register(PolicyTarget)
class PolicyTargetAdmin(admin.ModelAdmin):
    list_display = ["kpi", "comparison", "target", "unit", "policy_reference"]
    list_editable = ["comparison", "target", "unit"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "requested_by", "status", "done", "total", "created_at", "expires_at"]
    list_filter = ["status", "exporter", "file_format"]
    readonly_fields = ["requested_by", "exporter", "file_format", "params", "status", "done", "total", "file",
                       "filename", "error", "created_at", "finished_at", "expires_at"]

    def has_add_permission(self, request):
        return False  # exports are asked for from the report pages, which build them
