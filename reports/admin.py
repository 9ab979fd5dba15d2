from django.contrib import admin

from reports.models import ExportJob, PolicyTarget, Subscription, SubscriptionDelivery


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


class SubscriptionDeliveryInline(admin.TabularInline):
    model = SubscriptionDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["period_start", "status", "attempts", "started_at", "sent_at", "size", "attached", "export",
                       "error"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Scheduled reports; people manage their own from "My subscriptions"."""

    list_display = ["title", "user", "report", "file_format", "frequency", "paused", "created_by", "created_at"]
    list_filter = ["report", "file_format", "frequency", "paused"]
    search_fields = ["title", "user__username", "user__email"]
    raw_id_fields = ["user", "created_by"]
    inlines = [SubscriptionDeliveryInline]


@admin.register(SubscriptionDelivery)
class SubscriptionDeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscription", "period_start", "status", "attempts", "sent_at", "attached"]
    list_filter = ["status", "attached"]
    readonly_fields = [f.name for f in SubscriptionDelivery._meta.fields]

    def has_add_permission(self, request):
        return False  # made by the periodic job, one per subscription and period
