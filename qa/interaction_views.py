"""Interactions and their recordings, for QA staff; readable by those in scope."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from qa import extensions, recordings, roles, scoping, scoring_sessions
from qa.forms import add_service_errors
from qa.http import missing_file
from qa.interaction_forms import InteractionForm
from qa.models import Evaluation, Interaction, Recording
from qa.scoring_forms import StartScoringForm



class InteractionFilterForm(forms.Form):
    """Spotlights are written by the automatic checks (autoqa.models.Spotlight); qa reads them through
    the reverse relation `spotlights`, without importing autoqa."""

    spotlight = forms.ChoiceField(label=_lazy("Spotlight"), required=False, choices=[
        ("", _lazy("All interactions")), ("any", _lazy("Flagged for any reason")),
        ("phrase", _lazy("Phrase alert")), ("sentiment", _lazy("Negative customer sentiment"))])
    channel = forms.ChoiceField(label=_lazy("Channel"), required=False,
                                choices=[("", _lazy("All"))] + Interaction.CHANNEL_CHOICES)


class InteractionListView(PermissionRequiredMixin, ListView):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/interaction_list.html"
    context_object_name = "interactions"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = InteractionFilterForm(self.request.GET or None)
        interactions = scoping.interactions_for(self.request.user).select_related(
            "location", "employee", "recording").prefetch_related("spotlights")
        if self.filter_form.is_valid():
            chosen = self.filter_form.cleaned_data
            if chosen["spotlight"] == "any":
                interactions = interactions.filter(pk__in=Interaction.objects.filter(spotlights__isnull=False))
            elif chosen["spotlight"]:
                interactions = interactions.filter(
                    pk__in=Interaction.objects.filter(spotlights__kind=chosen["spotlight"]))
            if chosen["channel"]:
                interactions = interactions.filter(channel=chosen["channel"])
        return interactions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["filtered"] = self.filter_form.is_bound and self.filter_form.is_valid() and any(
            self.filter_form.cleaned_data.values())
        return context


class InteractionCreateView(PermissionRequiredMixin, FormView):
    permission_required = roles.CHANGE_EVALUATION
    form_class = InteractionForm
    template_name = "qa/interaction_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["pending_recording"] = recordings.pending_of(self.request)
        return kwargs

    def get(self, request, *args, **kwargs):
        recordings.discard_pending(request)  # a fresh form starts without a kept file
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data.get("recording") or recordings.open_pending(self.request)
        try:
            with transaction.atomic():
                interaction = form.save(commit=False)
                interaction.created_by = self.request.user
                interaction.save()
                if upload:
                    recordings.store_recording(interaction, upload, self.request.user)
        except ValidationError as exc:
            add_service_errors(form, ValidationError({"recording": exc.messages}))
            return self.form_invalid(form)
        finally:
            if upload and not form.cleaned_data.get("recording"):
                upload.close()
        recordings.discard_pending(self.request)
        messages.success(self.request, _("Interaction saved."))
        return redirect(interaction.get_absolute_url())

    def form_invalid(self, form):
        upload = self.request.FILES.get("recording")
        if upload and "recording" not in form.errors:
            pending = recordings.keep_pending(self.request, upload)
            if pending:
                form.set_pending(pending)
        return super().form_invalid(form)


class InteractionDetailView(LoginRequiredMixin, DetailView):
    template_name = "qa/interaction_detail.html"
    context_object_name = "interaction"

    def get_object(self, queryset=None):
        return get_object_or_404(scoping.interactions_for(self.request.user).select_related(
            "location__region", "employee"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recording"] = Recording.objects.filter(interaction=self.object).first()
        if context["recording"] is not None:
            # the transcript beside the player, as on the scoring screen and the evaluation page
            context["panels"] = extensions.panels_for(self.request, self.object)
        user = self.request.user
        if user.has_perm(roles.CHANGE_EVALUATION):
            context["start_form"] = StartScoringForm(interaction=self.object)
            context["draft"] = scoring_sessions.open_draft(self.object)
            context["reviews"] = list(scoping.evaluations_for(user).filter(
                interaction=self.object, is_calibration=False).exclude(status="draft").select_related("version"))
            # The automatic checks' evaluation is listed but never stands in for a reviewer's: the reviewer
            # still scores the interaction, starting from its suggestions.
            context["scored_by_people"] = any(e.source == Evaluation.Source.REVIEWER for e in context["reviews"])
        return context


class RecordingFileView(LoginRequiredMixin, View):
    """The audio, only for those who may see its interaction, seekable through range requests."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        recording = get_object_or_404(Recording, pk=pk,
                                      interaction__in=scoping.interactions_for(request.user).values("pk"))
        chosen = extensions.audio_for(request.user, recording)
        if chosen is not None and chosen["file"] is None:
            return HttpResponse(_("This recording is played with personal data silenced, and that copy is not "
                                  "ready yet. Try again once the transcript is done."),
                                status=409, content_type="text/plain; charset=utf-8")
        try:
            if chosen is not None:
                response = recordings.ranged_response(request, recording, chosen["file"], chosen["content_type"])
            else:
                response = recordings.ranged_response(request, recording)
        except FileNotFoundError:
            return missing_file(request, recording, _("recording"))
        response["Cache-Control"] = "private, no-store"
        return response
