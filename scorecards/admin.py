"""The admin for scorecards. A published or retired version is frozen (scorecards.models): it and
its sections and items are shown read-only here (view permission only), and only drafts can be
chosen for new sections and items, so the admin never tries a change the model refuses."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from scorecards.forms import BlankJSONAdminMixin, CountedInlineFormSet
from scorecards.models import Item, Scorecard, ScorecardVersion, Section

DRAFT = ScorecardVersion.Status.DRAFT


class VersionInline(admin.TabularInline):
    model = ScorecardVersion
    formset = CountedInlineFormSet
    fields = ["number", "status", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a new version is started from the scorecard's page, which copies the last one


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "channel"]
    search_fields = ["name"]
    inlines = [VersionInline]


class FrozenReadOnlyMixin:
    """Everything read-only, and no deleting, once the object's version is no longer a draft."""

    draft_filter = {}  # how a foreign key's choices are narrowed to drafts, per field name
    draft_path = ""  # the lookup from the model to its version's status

    def is_frozen(self, obj):
        return obj is not None and not obj.frozen_version().is_editable

    def has_change_permission(self, request, obj=None):
        return not self.is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_frozen(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id and object_id.isascii() and object_id.isdigit() else None
        if self.is_frozen(obj) and request.method == "GET":
            self.message_user(request, _("This belongs to a published or retired version, which cannot be changed. "
                                         "Start a new version from the scorecard's page to edit it."), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.draft_filter:
            kwargs["queryset"] = db_field.related_model.objects.filter(**self.draft_filter[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def delete_queryset(self, request, queryset):
        frozen = queryset.exclude(**{self.draft_path: DRAFT})
        if frozen.exists():
            self.message_user(request, _("%(n)s of them belong to a published or retired version and were kept.")
                              % {"n": frozen.count()}, messages.WARNING)
        super().delete_queryset(request, queryset.filter(**{self.draft_path: DRAFT}))


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(SimpleHistoryAdmin):
    """Publishing and retiring go through the scorecard pages, which check the version first."""

    list_display = ["__str__", "status", "published_at"]
    list_filter = ["status", "scorecard"]
    readonly_fields = ["status", "published_at", "published_by", "retired_at"]

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        frozen = queryset.exclude(status=DRAFT)
        if frozen.exists():
            self.message_user(request, _("%(n)s of them are published or retired and were kept.")
                              % {"n": frozen.count()}, messages.WARNING)
        super().delete_queryset(request, queryset.filter(status=DRAFT))


@admin.register(Section)
class SectionAdmin(FrozenReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "version", "weight", "order"]
    list_filter = ["version__scorecard", "version__status"]
    draft_filter = {"version": {"status": DRAFT}}
    draft_path = "version__status"


@admin.register(Item)
class ItemAdmin(FrozenReadOnlyMixin, BlankJSONAdminMixin, admin.ModelAdmin):
    list_display = ["question", "section", "answer_type", "weight", "critical", "na_allowed"]
    list_filter = ["answer_type", "critical", "section__version__scorecard"]
    search_fields = ["question", "policy_reference"]
    draft_filter = {"section": {"version__status": DRAFT}}
    draft_path = "section__version__status"
