"""Service accounts and a read-only view of tokens (the tokens page makes and revokes them)."""

from django.contrib import admin

from api.models import ApiToken, ServiceAccount, WebhookSubscription


@admin.register(ServiceAccount)
class ServiceAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "description", "created_at"]
    raw_id_fields = ["user"]  # the autocomplete widget re-renders a bad id (e.g. "²") with a 500


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "access", "prefix", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["owner", "name", "access", "prefix", "created_by", "created_at", "expires_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False  # made on the tokens page, where the token is shown once


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "active", "created_at"]
    exclude = ["secret"]
