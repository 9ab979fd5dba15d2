from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from qa import calibration, services
from scorecards import scoring, words
from scorecards.forms import BlankJSONAdminMixin, CountedInlineFormSet
from scorecards.services import spec_for

from qa.models import EvaluationRollup, ItemRollup, LocationItemRollup, PeriodicTick
from qa.models import (
    Answer, AnswerCorrection, CalibrationSession, InteractionImport, PinnedComment, Dispute, DisputeItem, Evaluation, Evidence, Interaction, Recording, ReportDraft,
    ReportSubmission, ReviewTask, RoleChange, SampleDraw, SamplingRule,
    SectionScore, User,
    VisitReport,
)


class BoundedDateChangeList(ChangeList):
    """The date drill-down works out the end of the year, month or day in the URL: past 9998 that
    date does not exist, so Django raises instead of treating the URL as a bad filter."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class BoundedDateHierarchyMixin:
    """For model admins with a date_hierarchy: a year no calendar holds is a bad filter (the list
    again, without it), not a 500."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateChangeList


class RoleChangeInline(admin.TabularInline):
    model = RoleChange
    formset = CountedInlineFormSet
    fk_name = "user"
    fields = ["at", "by", "what", "old", "new"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Toolkit", {"fields": ("time_zone", "regions")}),)
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("regions",)
    list_filter = BaseUserAdmin.list_filter + ("groups",)
    inlines = [RoleChangeInline]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The record of role changes is written when roles change, never typed."""
    list_display = ["user", "what", "old", "new", "by", "at"]
    readonly_fields = ["user", "by", "at", "what", "old", "new"]

    def has_add_permission(self, request):
        return False


class BlindCalibrationAdmin:
    """Blind calibration holds in the admin for everyone, administrators and superusers included:
    rows of a calibration score the viewer may not see yet (qa.calibration's one rule) are not
    listed, cannot be opened (the admin says they do not exist), and their history pages answer
    404. `evaluation_path` leads from this admin's model to its Evaluation ("pk" for Evaluation)."""

    evaluation_path = "evaluation"

    def get_queryset(self, request):
        visible = calibration.visible_evaluations(request.user, Evaluation.objects.all()).values("pk")
        return super().get_queryset(request).filter(**{f"{self.evaluation_path}__in": visible})

    def _hidden(self, request, object_id) -> bool:
        model = self.model
        if model._base_manager.filter(pk=object_id).exists():
            return not self.get_queryset(request).filter(pk=object_id).exists()
        if not hasattr(model, "history"):
            return False  # nothing of it is left to show
        # Deleted: its history stays hidden if it belonged to a calibration score.
        evaluation_ids = (Evaluation.history.filter(id=object_id) if model is Evaluation else
                          model.history.filter(id=object_id).values_list("evaluation_id", flat=True))
        if model is not Evaluation:
            evaluation_ids = Evaluation.history.filter(id__in=list(evaluation_ids))
        return evaluation_ids.filter(is_calibration=True).exists()

    def history_view(self, request, object_id, extra_context=None):
        if self._hidden(request, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._hidden(request, unquote(object_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class AnswerInline(admin.TabularInline):
    """Read here; an answer is changed on its own page (AnswerAdmin), which rescores."""
    model = Answer
    formset = CountedInlineFormSet
    fields = ["item", "value", "na", "comment", "score", "failed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class SectionScoreInline(admin.TabularInline):
    model = SectionScore
    formset = CountedInlineFormSet
    fields = ["section_name", "score"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Evaluation)
class EvaluationAdmin(BlindCalibrationAdmin, BoundedDateHierarchyMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "version", "location", "employee", "status", "overall_score", "critical_failed", "interaction_at"]
    list_filter = ["status", "source", "channel", "critical_failed", "location__region"]
    date_hierarchy = "interaction_at"
    raw_id_fields = ["employee", "location", "evaluator", "version"]
    readonly_fields = ["overall_score", "critical_failed", "scored_at", "revision"]
    inlines = [SectionScoreInline, AnswerInline]
    list_select_related = ["version__scorecard", "location", "employee"]
    evaluation_path = "pk"


@admin.register(SectionScore)
class SectionScoreAdmin(BlindCalibrationAdmin, admin.ModelAdmin):
    """Section scores come from the scoring engine only: shown, never typed."""
    list_display = ["evaluation", "section_name", "score"]
    readonly_fields = ["evaluation", "section", "section_name", "score"]

    def has_add_permission(self, request):
        return False


class AnswerAdminForm(forms.ModelForm):
    """Refuses an answer its item does not offer, in the words the scoring screens use."""

    class Meta:
        model = Answer
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        answer = self.instance
        if answer.pk is None or self.errors:
            return cleaned
        spec = spec_for(answer.evaluation.version)
        given = scoring.AnswerInput(value=cleaned.get("value", ""), na=cleaned.get("na", False))
        problem = scoring.answer_problems(spec, {answer.item_id: given}).get(answer.item_id)
        if problem:
            raise forms.ValidationError(problem)
        return cleaned


@admin.register(Answer)
class AnswerAdmin(BlindCalibrationAdmin, SimpleHistoryAdmin):
    """An answer changed here is rescored at once with its evaluation, so its scores, the
    evaluation's figures and the copies reports read (answer_values, section_score_N) agree."""
    list_display = ["evaluation", "item", "answer", "score", "failed"]
    raw_id_fields = ["evaluation", "item"]

    @admin.display(description=_("answer"))
    def answer(self, obj):
        """In words ("Partly", "N/A"), as everywhere else (scorecards.words)."""
        return words.answer_word(obj.value, obj.na, obj.item.answer_type, obj.item.number_unit)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "item", "evaluation__location", "evaluation__employee", "evaluation__evaluator",
            "evaluation__interaction__employee", "evaluation__interaction__location")
    readonly_fields = ["score", "failed", "number"]
    form = AnswerAdminForm

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (["evaluation", "item"] if obj else [])

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        evaluation = obj.evaluation
        if evaluation.scored_at is not None:
            services.score_and_store(evaluation)
            self.message_user(request, f"{evaluation} was rescored: overall {evaluation.overall_score}%.")


class ReportSubmissionInline(admin.TabularInline):
    model = ReportSubmission
    formset = CountedInlineFormSet
    fields = ["key", "received_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(VisitReport)
class VisitReportAdmin(BlindCalibrationAdmin, BlankJSONAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "arrived_at", "last_submitted_at", "flags"]
    raw_id_fields = ["evaluation", "assignment"]
    inlines = [ReportSubmissionInline]


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(admin.ModelAdmin):
    list_display = ["key", "report", "received_at"]
    raw_id_fields = ["report"]


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    list_display = ["assignment", "saved_at"]
    raw_id_fields = ["assignment"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assignment", "kind", "size", "uploaded_at"]
    raw_id_fields = ["assignment", "uploaded_by"]
    readonly_fields = ["file", "client_key", "size", "width", "height"]


@admin.register(AnswerCorrection)
class AnswerCorrectionAdmin(BlindCalibrationAdmin, admin.ModelAdmin):
    evaluation_path = "answer__evaluation"
    list_display = ["answer", "old_value", "new_value", "by", "at"]
    raw_id_fields = ["answer", "by"]


@admin.register(Interaction)
class InteractionAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    list_display = ["__str__", "location", "employee", "complaint_type"]
    list_filter = ["channel", "complaint_type", "location__region"]
    raw_id_fields = ["employee", "location", "created_by"]
    date_hierarchy = "occurred_at"


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "audio_format", "size", "duration_seconds", "uploaded_at"]
    raw_id_fields = ["interaction", "uploaded_by"]
    readonly_fields = ["file", "audio_format", "content_type", "size", "duration_seconds"]


class DisputeItemInline(admin.TabularInline):
    model = DisputeItem
    formset = CountedInlineFormSet
    fields = ["answer", "reason", "original_value", "decision", "new_value", "decision_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Dispute)
class DisputeAdmin(BlindCalibrationAdmin, admin.ModelAdmin):
    list_display = ["__str__", "status", "raised_by", "raised_at", "decided_by", "score_before", "score_after"]
    list_filter = ["status"]
    raw_id_fields = ["evaluation", "raised_by", "decided_by"]
    inlines = [DisputeItemInline]


@admin.register(DisputeItem)
class DisputeItemAdmin(BlindCalibrationAdmin, admin.ModelAdmin):
    evaluation_path = "dispute__evaluation"
    list_display = ["dispute", "answer", "decision"]
    raw_id_fields = ["dispute", "answer"]


@admin.register(SamplingRule)
class SamplingRuleAdmin(BlankJSONAdminMixin, admin.ModelAdmin):
    list_display = ["name", "per_employee", "period", "active"]


@admin.register(SampleDraw)
class SampleDrawAdmin(admin.ModelAdmin):
    list_display = ["rule", "period_start", "period_end", "seed", "picked", "drawn_by", "drawn_at"]
    readonly_fields = ["rule", "period_start", "period_end", "seed", "picked", "drawn_by"]

    def has_add_permission(self, request):
        return False  # draws are made on the sampling page, which picks the interactions


@admin.register(ReviewTask)
class ReviewTaskAdmin(admin.ModelAdmin):
    list_display = ["interaction", "reviewer", "status", "assigned_at"]
    raw_id_fields = ["interaction", "draw", "reviewer"]


@admin.register(PinnedComment)
class PinnedCommentAdmin(BlindCalibrationAdmin, admin.ModelAdmin):
    list_display = ["evaluation", "moment", "item", "by", "created_at"]
    raw_id_fields = ["evaluation", "item", "by"]


@admin.register(CalibrationSession)
class CalibrationSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "lead", "version", "created_at", "closed_at"]
    raw_id_fields = ["interaction", "version", "lead"]
    filter_horizontal = ["reviewers"]


@admin.register(InteractionImport)
class InteractionImportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_by", "created_at", "status", "total", "imported"]
    list_filter = ["status"]
    readonly_fields = ["created_by", "sheet", "recordings", "status", "total", "done", "imported", "problems", "error",
                       "finished_at"]

    def has_add_permission(self, request):
        return False  # imports are started on the import page, which checks the sheet first


@admin.register(PeriodicTick)
class PeriodicTickAdmin(admin.ModelAdmin):
    """The one live chain of scheduled jobs (qa.tasks): read-only, to see when it last ran and what failed."""

    list_display = ["generation", "run_after", "last_run_at", "updated_at"]
    readonly_fields = ["generation", "result_id", "run_after", "last_run_at", "updated_at", "last_errors"]

    def has_add_permission(self, request):
        return False


class RollupAdmin(admin.ModelAdmin):
    """The report roll-ups (qa.rollups): sums kept with the scores, read-only here; `manage.py rebuild_rollups`
    makes them again from the evaluations if they are ever in doubt."""

    list_display = ["grain", "period", "location", "employee", "version", "channel", "source", "count"]
    list_filter = ["grain", "source", "channel"]
    list_select_related = ["location", "employee", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(EvaluationRollup, RollupAdmin)


@admin.register(ItemRollup)
class ItemRollupAdmin(RollupAdmin):
    list_display = ["grain", "period", "location", "employee", "item", "source", "count", "failures"]
    list_select_related = ["location", "employee", "item"]


@admin.register(LocationItemRollup)
class LocationItemRollupAdmin(RollupAdmin):
    list_display = ["grain", "period", "location", "item", "source", "count", "failures"]
    list_select_related = ["location", "item"]
