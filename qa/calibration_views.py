"""Blind calibration sessions: the lead invites reviewers to score one interaction; each
scores it on the usual scoring screen without seeing the others; results once complete."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import ListView

from qa import calibration, roles, scoping, scoring_sessions
from qa.forms import add_service_errors
from qa.http import parse_id
from qa.models import CalibrationSession, Interaction



def qa_staff_users():
    return get_user_model().objects.filter(
        is_active=True, groups__name__in=[roles.QA_REVIEWER, roles.QA_LEAD]).distinct().order_by("username")


class CalibrationForm(forms.ModelForm):
    reviewers = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                               label=_lazy("Reviewers to invite"))
    interaction = forms.ModelChoiceField(queryset=Interaction.objects.all(), widget=forms.HiddenInput)

    class Meta:
        model = CalibrationSession
        fields = ["interaction", "version", "reviewers", "threshold", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, interaction, lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = qa_staff_users().exclude(pk=lead.pk)
        self.fields["reviewers"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["version"].queryset = scoring_sessions.candidate_versions(interaction)
        self.fields["version"].empty_label = None
        self.fields["interaction"].queryset = Interaction.objects.filter(pk=interaction.pk)
        self.initial.setdefault("interaction", interaction.pk)


def sessions_for(user):
    """Leads and administrators reach every session; a reviewer only those they are invited to."""
    sessions = CalibrationSession.objects.select_related("interaction__location", "interaction__employee",
                                                        "version__scorecard", "lead")
    if not user.has_perm(roles.ADD_CALIBRATIONSESSION):
        sessions = sessions.filter(Q(reviewers=user) | Q(lead=user)).distinct()
    return sessions


def session_for(user, pk) -> CalibrationSession:
    return get_object_or_404(sessions_for(user), pk=pk)


class CalibrationListView(PermissionRequiredMixin, ListView):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/calibration_list.html"
    context_object_name = "sessions"
    paginate_by = 25

    def get_queryset(self):
        return sessions_for(self.request.user)


CHOOSABLE = 200


class ChooseInteractionForm(forms.Form):
    """The first step when a lead starts from the calibration list: which interaction to score.
    Offers the most recent ones the lead may see; any of theirs is accepted."""

    interaction = forms.TypedChoiceField(label=_lazy("Interaction to score"), coerce=int,
                                         help_text=_lazy("The most recent interactions you can see, newest first."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        recent = scoping.interactions_for(user).select_related("employee", "location").order_by("-occurred_at", "-pk")
        self.fields["interaction"].choices = [("", _("Choose an interaction"))] + [
            (i.pk, f"{i} · {i.location.name}") for i in recent[:CHOOSABLE]]

    def clean_interaction(self):
        pk = self.cleaned_data["interaction"]
        interaction = scoping.interactions_for(self.user).filter(pk=pk).first()
        if interaction is None:
            raise ValidationError(_("Choose one of the interactions listed."))
        return interaction


class CalibrationCreateView(PermissionRequiredMixin, View):
    """Start a calibration: from an interaction's page (?interaction=), or from the calibration
    list, where the lead first chooses the interaction."""

    permission_required = roles.ADD_CALIBRATIONSESSION

    def interaction(self, request):
        pk = parse_id(request.POST.get("interaction") or request.GET.get("interaction"))
        if pk is None:
            return None
        return get_object_or_404(scoping.interactions_for(request.user), pk=pk)

    def choose(self, request, status=200):
        data = request.GET if "interaction" in request.GET else None
        # (a POST that named no interaction keeps its 400 though the chooser shows no data)
        form = ChooseInteractionForm(data, user=request.user)
        if data is not None:
            form.is_valid()
            status = 400
        return render(request, "qa/calibration_choose.html", {"form": form}, status=status)

    def render_form(self, request, interaction, form, status=200):
        return render(request, "qa/calibration_form.html", {"form": form, "interaction": interaction}, status=status)

    def get(self, request):
        interaction = self.interaction(request)
        if interaction is None:
            return self.choose(request)
        return self.render_form(request, interaction, CalibrationForm(interaction=interaction, lead=request.user))

    def post(self, request):
        interaction = self.interaction(request)
        if interaction is None:
            # Sent without an interaction it names: ask for one again, as a refusal (400).
            return self.choose(request, status=400)
        form = CalibrationForm(request.POST, interaction=interaction, lead=request.user)
        if form.is_valid():
            try:
                session = calibration.create_session(
                    interaction=interaction, version=form.cleaned_data["version"], lead=request.user,
                    reviewers=form.cleaned_data["reviewers"], threshold=form.cleaned_data["threshold"],
                    note=form.cleaned_data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Calibration session created: the invited reviewers see it in their "
                                            "calibration list. Score it yourself too: your answers are the reference."))
                return redirect(session.get_absolute_url())
        return self.render_form(request, interaction, form, status=422)


class CalibrationDetailView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION

    def get(self, request, pk):
        session = session_for(request.user, pk)
        mine = session.evaluations.filter(evaluator=request.user).first()
        people = calibration.participants(session)
        done = {e.evaluator_id for e in calibration.scored(session)}
        context = {
            "session": session,
            "mine": mine,
            "is_participant": calibration.is_participant(session, request.user),
            "people": [(p, p.pk in done) for p in people],
            "can_close": calibration.may_close(session, request.user) and not session.is_closed,
            "results": calibration.results(session) if session.is_closed else None,
        }
        return render(request, "qa/calibration_detail.html", context)


class CalibrationScoreView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["post"]

    def post(self, request, pk):
        session = session_for(request.user, pk)
        if not calibration.is_participant(session, request.user):
            raise Http404
        if session.is_closed:
            messages.warning(request, _("This session is closed; no more scores are taken."))
            return redirect(session.get_absolute_url())
        existing = session.evaluations.filter(evaluator=request.user).exclude(status="draft").first()
        if existing is not None:
            messages.info(request, _("You have already scored this session."))
            return redirect(session.get_absolute_url())
        evaluation, _created = scoring_sessions.start_review(session.interaction, session.version, request.user,
                                                      calibration=session)
        return redirect("evaluation-score", evaluation.pk)


class CalibrationCloseView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_CALIBRATIONSESSION
    http_method_names = ["post"]

    def post(self, request, pk):
        session = session_for(request.user, pk)
        if not calibration.may_close(session, request.user):
            raise Http404
        try:
            calibration.close(session)
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Session closed: everyone's answers are now shown side by side."))
        return redirect(session.get_absolute_url())
