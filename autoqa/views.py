"""The QA lead's pages of automatic QA: the checks on each scorecard's items, how far each is
trusted (autoqa.trust), and the phrase alerts that put interactions in the spotlight."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from autoqa import panels, trust
from autoqa.forms import ItemRuleForm, PhraseListForm
from autoqa.models import ItemRule, PhraseList, Transcript
from autoqa.permissions import MANAGE_AUTOQA
from qa.http import parse_id
from qa.models import Interaction
from scorecards.models import TEXT_CHANNELS, AnswerType, Channel, Item, Scorecard, ScorecardVersion
from scorecards.services import load_structure

CHECKABLE = (AnswerType.YES_NO, AnswerType.YES_PARTIAL_NO, AnswerType.SCALE_5)


def current_version(scorecard):
    """The version a lead means: the published one, else the newest (a draft being written)."""
    return scorecard.versions.filter(status=ScorecardVersion.Status.PUBLISHED).first() or \
        scorecard.versions.order_by("-number").first()


def interaction_scorecards():
    return Scorecard.objects.exclude(channel=Channel.STORE_VISIT).order_by("name")


class LeadMixin(PermissionRequiredMixin):
    permission_required = MANAGE_AUTOQA


class RulesView(LeadMixin, View):
    def get(self, request):
        rules = {(r.scorecard_id, r.question): r for r in ItemRule.objects.all()}
        cards = []
        for scorecard in interaction_scorecards():
            version = current_version(scorecard)
            if version is None:
                continue
            sections = []
            for section in load_structure(version):
                items = [{"item": item, "rule": rules.get((scorecard.pk, item.question)),
                          "checkable": item.answer_type in CHECKABLE} for item in section.items.all()]
                sections.append({"section": section, "items": items})
            count = sum(1 for s in sections for i in s["items"] if i["rule"])
            cards.append({"scorecard": scorecard, "version": version, "sections": sections, "count": count,
                          "for_text": scorecard.channel in TEXT_CHANNELS})
        return render(request, "autoqa/rules.html", {"cards": cards})


def item_of(scorecard_id, item_id) -> tuple[Scorecard, Item]:
    if parse_id(scorecard_id) is None or parse_id(item_id) is None:
        raise Http404  # a number no column holds names no item (SQLite overflows on the related lookup)
    item = get_object_or_404(Item.objects.select_related("section__version__scorecard"), pk=item_id,
                             section__version__scorecard_id=scorecard_id)
    scorecard = item.section.version.scorecard
    if scorecard.channel == Channel.STORE_VISIT or item.answer_type not in CHECKABLE:
        raise Http404
    return scorecard, item


class RuleEditView(LeadMixin, View):
    def get(self, request, scorecard_id, item_id):
        scorecard, item = item_of(scorecard_id, item_id)
        rule = ItemRule.objects.filter(scorecard=scorecard, question=item.question).first()
        return self.page(request, scorecard, item, rule, ItemRuleForm(instance=rule, item=item))

    def page(self, request, scorecard, item, rule, form, status=200):
        return render(request, "autoqa/rule_form.html", {"scorecard": scorecard, "item": item, "rule": rule,
                                                         "form": form}, status=status)

    def post(self, request, scorecard_id, item_id):
        scorecard, item = item_of(scorecard_id, item_id)
        rule = ItemRule.objects.filter(scorecard=scorecard, question=item.question).first()
        form = ItemRuleForm(request.POST, instance=rule, item=item)
        if not form.is_valid():
            messages.error(request, _("The check was not saved: see the messages below. Everything you typed is kept."))
            return self.page(request, scorecard, item, rule, form, status=422)
        with transaction.atomic():
            saved = form.save(commit=False)
            created = saved.pk is None
            saved.scorecard, saved.question, saved.updated_by = scorecard, item.question, request.user
            if not created:
                saved.revision += 1
            saved.save()
            figures = trust.recheck(saved)
        if created:
            text = _("Automatic check added to “%(q)s”. It applies to interactions checked from now on.")
        else:
            text = _("Automatic check of “%(q)s” saved and measured again on its %(n)s reviewed interaction(s).")
        messages.success(request, text % {"q": item.question, "n": figures.pairs})
        return redirect(f"{request.path}")


class RuleDeleteView(LeadMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        rule = get_object_or_404(ItemRule, pk=pk)
        question = rule.question
        rule.delete()
        messages.success(request, _("Automatic check of “%(q)s” removed; its item is left to the reviewers.")
                         % {"q": question})
        return redirect("autoqa:rules")


class TrustView(LeadMixin, View):
    """Per rule: alpha, percent agreement and pairs, and the reviewers' corrections."""

    def get(self, request):
        scorecard_id = request.GET.get("scorecard") or ""
        rules = ItemRule.objects.select_related("scorecard").order_by("scorecard__name", "question")
        if scorecard_id:
            if parse_id(scorecard_id) is None or not Scorecard.objects.filter(pk=scorecard_id).exists():
                messages.error(request, _("That scorecard does not exist; every scorecard is shown."))
                scorecard_id = ""
            else:
                rules = rules.filter(scorecard_id=scorecard_id)
        rows = []
        for rule in rules:
            rows.append({"rule": rule, "figures": trust.figures(trust.answer_type_of(rule), trust.pairs_of(rule)),
                         "corrections": trust.corrections(rule, limit=10)})
        return render(request, "autoqa/trust.html", {
            "rows": rows, "scorecards": interaction_scorecards().filter(
                Q(autoqa_rules__isnull=False)).distinct(), "chosen": scorecard_id,
            "min_alpha": trust.min_alpha(), "min_pairs": trust.min_pairs(),
            "any_corrections": any(any(row["corrections"].values()) for row in rows)})


class AlertsView(LeadMixin, View):
    def get(self, request):
        return self.page(request, PhraseListForm())

    def page(self, request, form, status=200):
        return render(request, "autoqa/alerts.html", {"lists": PhraseList.objects.all(), "form": form},
                      status=status)

    def post(self, request):
        form = PhraseListForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The alert was not added: see the messages below. Everything you typed is kept."))
            return self.page(request, form, status=422)
        alert = form.save(commit=False)
        alert.created_by = request.user
        alert.save()
        messages.success(request, _("Phrase alert “%(name)s” added. Interactions checked from now on are flagged "
                                    "when it is heard.") % {"name": alert.name})
        return redirect("autoqa:alerts")


class AlertEditView(LeadMixin, View):
    def get(self, request, pk):
        alert = get_object_or_404(PhraseList, pk=pk)
        return render(request, "autoqa/alert_form.html", {"alert": alert, "form": PhraseListForm(instance=alert)})

    def post(self, request, pk):
        alert = get_object_or_404(PhraseList, pk=pk)
        form = PhraseListForm(request.POST, instance=alert)
        if not form.is_valid():
            messages.error(request, _("The alert was not saved: see the messages below. Everything you typed is kept."))
            return render(request, "autoqa/alert_form.html", {"alert": alert, "form": form}, status=422)
        form.save()
        messages.success(request, _("Phrase alert “%(name)s” saved.") % {"name": alert.name})
        return redirect("autoqa:alerts")


class TranscriptStatusView(View):
    """The transcript panel's state as JSON, for static/js/transcript-status.js: a panel waiting for its
    transcript asks every few seconds and, once it is done or failed, puts the panel's new HTML in place.
    For whoever reaches the interaction (autoqa.panels.transcript_panel, the recording's rule); 404 else."""

    http_method_names = ["get"]

    def get(self, request, interaction_id):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Sign in again to follow the transcription.")}, status=401)
        pk = parse_id(interaction_id)
        interaction = Interaction.objects.filter(pk=pk).first() if pk is not None else None
        panel = panels.transcript_panel(request, interaction) if interaction is not None else None
        if panel is None:
            raise Http404
        transcript = panel["context"]["transcript"]
        status = transcript.status if transcript is not None else "none"
        finished = status in (Transcript.Status.DONE, Transcript.Status.FAILED)
        return JsonResponse({
            "status": status,
            "label": transcript.get_status_display() if transcript is not None else _("Not transcribed yet"),
            "finished": finished,
            "html": render_to_string(panel["template"], {"panel": panel["context"]}, request=request)
            if finished else "",
        })
