from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scorecards.models import Item, Scorecard, ScorecardVersion, Section


class VersionInline(admin.TabularInline):
    model = ScorecardVersion
    fields = ["number", "status", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "channel"]
    search_fields = ["name"]
    inlines = [VersionInline]


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "published_at"]
    list_filter = ["status", "scorecard"]
    readonly_fields = ["published_at", "published_by", "retired_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "weight", "order"]
    list_filter = ["version__scorecard", "version__status"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["question", "section", "answer_type", "weight", "critical", "na_allowed"]
    list_filter = ["answer_type", "critical", "section__version__scorecard"]
    search_fields = ["question", "policy_reference"]
