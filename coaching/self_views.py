"""Self-assessment pages: the QA lead's switch per scorecard, and the employee's own scoring."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from coaching import access, selfassessment
from coaching.forms import SelfAssessmentForm, SelfAssessmentSettingsForm
from coaching.models import SelfAssessmentSetting
from coaching.views import PAGE_SIZE, RoleMixin
from qa import formats, recordings
from qa.http import missing_file, parse_id
from qa.models import Evaluation, Interaction, Recording
from scorecards.models import Channel, Scorecard


class SelfSettingsView(RoleMixin, View):
    allowed = staticmethod(access.manages_templates)

    def page(self, request, form, status=200):
        settings_by = {s.scorecard_id: s for s in SelfAssessmentSetting.objects.select_related("changed_by")}
        if form.is_bound:
            checked = {str(v) for v in form.data.getlist("scorecards")}
        else:
            checked = {str(v) for v in form.initial.get("scorecards", [])}
        rows = [{"scorecard": sc, "setting": settings_by.get(sc.pk), "checked": str(sc.pk) in checked}
                for sc in Scorecard.objects.exclude(channel=Channel.STORE_VISIT).order_by("name")]
        return render(request, "coaching/self_settings.html", {"form": form, "rows": rows}, status=status)

    def get(self, request):
        form = SelfAssessmentSettingsForm(initial={"scorecards": list(selfassessment.enabled_scorecard_ids())})
        return self.page(request, form)

    def post(self, request):
        form = SelfAssessmentSettingsForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=422)
        chosen = {s.pk for s in form.cleaned_data["scorecards"]}
        changed = 0
        for scorecard in Scorecard.objects.exclude(channel=Channel.STORE_VISIT):
            setting = SelfAssessmentSetting.objects.filter(scorecard=scorecard).first()
            enabled = scorecard.pk in chosen
            if setting is None and not enabled:
                continue
            if setting is None:
                SelfAssessmentSetting.objects.create(scorecard=scorecard, enabled=True, changed_by=request.user)
                changed += 1
            elif setting.enabled != enabled:
                setting.enabled, setting.changed_by = enabled, request.user
                setting.save()
                changed += 1
        messages.success(request, " ".join([
            ngettext("Self-assessment saved: on for %(on)s scorecard", "Self-assessment saved: on for %(on)s scorecards",
                     len(chosen)) % {"on": len(chosen)},
            ngettext("(%(n)s changed).", "(%(n)s changed).", changed) % {"n": changed}]))
        return redirect(reverse("coaching:self-settings"))


def own_interaction(user, pk):
    employee = access.coached_employee(user)
    pk = parse_id(pk)
    if employee is None or pk is None:
        raise Http404
    return employee, get_object_or_404(Interaction.objects.select_related("location"), pk=pk, employee=employee)


def is_employee(user):
    return access.coached_employee(user) is not None


class SelfListView(RoleMixin, View):
    allowed = staticmethod(is_employee)

    def get(self, request):
        employee = access.coached_employee(request.user)
        open_page = Paginator(selfassessment.open_interactions(employee), PAGE_SIZE).get_page(request.GET.get("page"))
        mine = {e.interaction_id: e for e in Evaluation.objects.filter(
            source=Evaluation.Source.SELF, employee=employee, interaction_id__in=[i.pk for i in open_page])}
        handed_in = (Evaluation.objects.filter(source=Evaluation.Source.SELF, employee=employee,
                                               status=Evaluation.Status.SUBMITTED)
                     .select_related("interaction").order_by("-interaction_at")[:20])
        released = {e.interaction_id: e for e in Evaluation.objects.counted().filter(
            source=Evaluation.Source.REVIEWER, interaction_id__in=[s.interaction_id for s in handed_in])}
        return render(request, "coaching/self_list.html", {
            "page_obj": open_page, "rows": [{"interaction": i, "own": mine.get(i.pk)} for i in open_page],
            "handed_in": [{"own": s, "released": released.get(s.interaction_id)} for s in handed_in],
            "enabled": bool(selfassessment.enabled_scorecard_ids())})


class SelfAssessView(RoleMixin, View):
    allowed = staticmethod(is_employee)

    def context(self, request, interaction, employee, form, own):
        recording = Recording.objects.filter(interaction=interaction).first()
        return {"interaction": interaction, "form": form, "own": own, "recording": recording,
                "recording_url": reverse("coaching:self-recording", args=[interaction.pk]) if recording else ""}

    def setup_form(self, request, pk, data=None):
        employee, interaction = own_interaction(request.user, pk)
        own = selfassessment.self_evaluation(interaction, employee)
        if not selfassessment.is_open(interaction):
            return employee, interaction, own, None
        version = own.version if own else selfassessment.version_for(interaction)
        stored = list(own.answers.all()) if own else []
        form = SelfAssessmentForm(data, version=version, stored=stored, comments=own.comments if own else "")
        return employee, interaction, own, form

    def get(self, request, pk):
        employee, interaction, own, form = self.setup_form(request, pk)
        if form is None:
            messages.info(request, _("A reviewer has released their evaluation of this interaction, so your "
                                     "self-assessment is closed."))
            return redirect("coaching:self-list")
        return render(request, "coaching/self_assess.html", self.context(request, interaction, employee, form, own))

    def post(self, request, pk):
        employee, interaction, own, form = self.setup_form(request, pk, request.POST)
        if form is None:
            messages.error(request, _("A reviewer has released their evaluation of this interaction, so your "
                                      "self-assessment is closed. Nothing was saved."))
            return redirect("coaching:self-list")
        finish = "finish" in request.POST
        if form.is_valid():
            try:
                own = selfassessment.save(interaction, employee, by=request.user, answers=form.answers(),
                                          comments=form.cleaned_data["comments"], finish=finish)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for key, problems in error.message_dict.items():
                        name = f"item_{key}" if key.isdigit() else None
                        form.add_error(name if name in form.fields else None, problems)
                else:
                    form.add_error(None, error.messages)
            else:
                if finish:
                    messages.success(request, _("Self-assessment handed in: %(score)s. You will see it beside the "
                                                "reviewer's once their evaluation is released.") % {
                        "score": f"{formats.figure(own.overall_score, 0)}%" if own.overall_score is not None else "–"})
                    return redirect("coaching:self-list")
                messages.success(request, _("Saved. Hand it in when every item is answered."))
                return redirect("coaching:self-assess", interaction.pk)
        return render(request, "coaching/self_assess.html",
                      self.context(request, interaction, employee, form, own), status=422)


class SelfRecordingView(RoleMixin, View):
    """The employee's own recording while it is open for their self-assessment (qa serves it to them
    only after release)."""

    allowed = staticmethod(is_employee)
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        _employee, interaction = own_interaction(request.user, pk)
        if not selfassessment.is_open(interaction):
            raise Http404
        recording = get_object_or_404(Recording, interaction=interaction)
        try:
            response = recordings.ranged_response(request, recording)
        except FileNotFoundError:
            return missing_file(request, recording, _("recording"))
        response["Cache-Control"] = "private, no-store"
        return response
