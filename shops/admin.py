from django.contrib import admin

from shops.models import Employee, Location, Region, Shopper


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
    autocomplete_fields = ["location", "user"]
    list_select_related = ["location"]


@admin.register(Shopper)
class ShopperAdmin(admin.ModelAdmin):
    list_display = ["__str__", "home_region", "active"]
    list_filter = ["home_region", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
