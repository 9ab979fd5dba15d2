from django.contrib import admin

from autoqa.models import ItemReview, ItemRule, PhraseList, Spotlight


@admin.register(ItemRule)
class ItemRuleAdmin(admin.ModelAdmin):
    list_display = ["question", "scorecard", "kind", "active", "trusted", "trust_alpha", "trust_pairs"]
    list_filter = ["scorecard", "kind", "active", "trusted"]
    search_fields = ["question", "phrases"]
    readonly_fields = ["trusted", "trust_alpha", "trust_agreement", "trust_pairs", "trust_measured_at"]


@admin.register(PhraseList)
class PhraseListAdmin(admin.ModelAdmin):
    list_display = ["name", "speaker", "min_similarity", "active"]


@admin.register(Spotlight)
class SpotlightAdmin(admin.ModelAdmin):
    list_display = ["interaction", "kind", "label", "detail"]
    list_filter = ["kind"]
    raw_id_fields = ["interaction"]


@admin.register(ItemReview)
class ItemReviewAdmin(admin.ModelAdmin):
    list_display = ["rule", "interaction", "suggested_value", "final_value", "changed", "reviewed_at"]
    list_filter = ["changed"]
    raw_id_fields = ["evaluation", "interaction", "item"]
