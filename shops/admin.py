from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scorecards.forms import CountedInlineFormSet
from shops.models import Assignment, AssignmentEvent, Employee, Location, Region, Shopper


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "kind", "active"]
    list_filter = ["region", "kind", "active"]
    search_fields = ["name", "code", "address"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "employee_code", "job_title", "location", "active"]
    list_filter = ["location__region", "active"]
    search_fields = ["name", "employee_code"]
    raw_id_fields = ["location", "user"]  # an autocomplete widget answers 500 to an id that is not a number
    list_select_related = ["location"]


@admin.register(Shopper)
class ShopperAdmin(admin.ModelAdmin):
    list_display = ["__str__", "home_region", "active"]
    list_filter = ["home_region", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]  # an autocomplete widget answers 500 to an id that is not a number


class AssignmentEventInline(admin.TabularInline):
    model = AssignmentEvent
    formset = CountedInlineFormSet
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "shopper", "status", "fee", "paid_at"]
    list_filter = ["status", "location__region", "channel"]
    raw_id_fields = ["location", "shopper", "version", "created_by", "paid_by"]
    readonly_fields = ["status"]
    inlines = [AssignmentEventInline]


@admin.register(AssignmentEvent)
class AssignmentEventAdmin(admin.ModelAdmin):
    list_display = ["assignment", "from_status", "to_status", "by", "at"]
    raw_id_fields = ["assignment", "by"]
