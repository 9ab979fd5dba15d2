"""The QA reviewer's scoring screen: the recording (or the conversation) beside the
scorecard, comments pinned to moments, autosave with revision checks, submit."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from qa import calibration, extensions, formats, roles, scoping, scoring_sessions
from qa.forms import add_service_errors
from qa.http import wants_json
from qa.models import Evaluation, PinnedComment, Recording
from qa.scoring_forms import PinForm, ScoreForm, StartScoringForm
from scorecards import words
from scorecards.services import spec_for



def editable_evaluation(user, pk) -> Evaluation:
    """A reviewer's draft the user may score: in their reach and, in calibration, their own."""
    evaluation = get_object_or_404(
        scoping.evaluations_for(user).select_related(
            "version__scorecard", "interaction__location", "interaction__employee", "calibration",
        ),
        pk=pk, source=Evaluation.Source.REVIEWER, interaction__isnull=False,
    )
    if not calibration.may_score(user, evaluation):
        raise Http404
    return evaluation


class StartScoringView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["post"]

    def post(self, request, pk):
        interaction = get_object_or_404(scoping.interactions_for(request.user), pk=pk)
        form = StartScoringForm(request.POST, interaction=interaction)
        if not form.is_valid():
            messages.error(request, _("Choose a published scorecard to score with."))
            return redirect(interaction.get_absolute_url())
        try:
            evaluation, created = scoring_sessions.start_review(interaction, form.cleaned_data["version"], request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(interaction.get_absolute_url())
        if created:
            messages.success(request, _("Scoring started. Answers the interaction's times give are filled in; "
                                        "your work is saved as you go."))
        else:
            messages.info(request, _("This interaction was already being scored: here is that draft."))
        return redirect("evaluation-score", evaluation.pk)


class ScoreView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION

    def render_page(self, request, evaluation, form, status=200, conflict=None):
        if evaluation.status != Evaluation.Status.DRAFT:
            messages.info(request, _("This evaluation has been submitted."))
            return redirect(evaluation.get_absolute_url())
        interaction = evaluation.interaction
        if conflict is not None:
            # Their answers stay on the page; saving again now replaces the other save knowingly.
            form.data = form.data.copy()
            form.data["revision"] = conflict.revision
        context = {
            "evaluation": evaluation, "interaction": interaction, "form": form,
            "conflict": " ".join(conflict.messages) if conflict is not None else None,
            "differences": conflict_differences(evaluation, form) if conflict is not None else [],
            "running": scoring_sessions.running_score(evaluation),
            "recording": Recording.objects.filter(interaction=interaction).first(),
            "pins": evaluation.pins.select_related("item"),
            "pin_form": PinForm(evaluation=evaluation),
            "panels": extensions.panels_for(request, interaction, evaluation),
        }
        return render(request, "qa/score.html", context, status=status)

    def get(self, request, pk):
        evaluation = editable_evaluation(request.user, pk)
        return self.render_page(request, evaluation, ScoreForm(evaluation=evaluation))

    def post(self, request, pk):
        evaluation = editable_evaluation(request.user, pk)
        form = ScoreForm(request.POST, evaluation=evaluation)
        submitting = request.POST.get("action") == "submit"
        if not form.is_valid():
            messages.error(request, _("Some answers need attention: see the messages next to them. "
                                      "Everything you typed is kept."))
            return self.render_page(request, evaluation, form, status=422)
        revision = form.cleaned_data.get("revision")
        try:
            if submitting and not evaluation.is_calibration and request.POST.get("confirm") != "1":
                return self.confirm_release(request, evaluation, form, revision)
            if submitting:
                result = scoring_sessions.submit_review(evaluation, form.review_data(), revision=revision, by=request.user)
            else:
                scoring_sessions.save_review(evaluation, form.review_data(), revision=revision, by=request.user)
        except scoring_sessions.Conflict as exc:
            return self.render_page(request, evaluation, form, status=409, conflict=exc)
        except scoring_sessions.NotEditable as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect(evaluation.get_absolute_url())
        except ValidationError as exc:
            add_service_errors(form, exc)
            evaluation = scoring_sessions.save_review(evaluation, form.review_data(), revision=revision, by=request.user)
            messages.error(request, _("Some answers need attention: see the messages next to them. "
                                      "Everything you typed is kept, and the draft is saved."))
            form.data = form.data.copy()
            form.data["revision"] = evaluation.revision
            return self.render_page(request, evaluation, form, status=422)
        if not submitting:
            messages.success(request, _("Draft saved."))
            return redirect("evaluation-score", evaluation.pk)
        if evaluation.is_calibration:
            messages.success(request, _("Your calibration score is in. It never counts in the employee's results; "
                                        "you will see everyone's answers when the session is complete."))
            return redirect(evaluation.calibration.get_absolute_url())
        messages.success(request, _("Evaluation released with a score of %(score)s%%. The employee can now see it.")
                         % {"score": result.overall if result.overall is not None else "–"})
        return redirect(evaluation.get_absolute_url())


    def confirm_release(self, request, evaluation, form, revision):
        """Before a review is released (the employee sees it at once), the reviewer confirms,
        seeing the score it will carry. The draft is saved first; answers that would stop the
        release are shown on the scoring screen instead, as a submit would."""
        evaluation = scoring_sessions.save_review(evaluation, form.review_data(), revision=revision, by=request.user)
        problems = scoring_sessions.review_problems(evaluation, form.review_data(), spec_for(evaluation.version))
        if problems:
            add_service_errors(form, ValidationError(problems))
            form.data = form.data.copy()
            form.data["revision"] = evaluation.revision
            messages.error(request, _("Some answers need attention: see the messages next to them. "
                                      "Everything you typed is kept, and the draft is saved."))
            return self.render_page(request, evaluation, form, status=422)
        fields = [(name, value) for name, values in request.POST.lists() if name not in ("csrfmiddlewaretoken",
                                                                                         "revision", "action")
                  for value in values]
        return render(request, "qa/score_confirm.html", {
            "evaluation": evaluation, "interaction": evaluation.interaction, "fields": fields,
            "revision": evaluation.revision, "running": scoring_sessions.running_score(evaluation)})


def conflict_differences(evaluation, form) -> list[dict]:
    """Where the answers on the page differ from the ones saved by the other person."""
    saved = {a.item_id: a for a in evaluation.answers.select_related("item")}
    mine = form.review_data().answers if hasattr(form, "cleaned_data") else {}
    rows = []
    for item_id, answer in saved.items():
        given = mine.get(item_id)
        if given is None or (given.value, given.na) == (answer.value, answer.na):
            continue
        rows.append({"question": answer.item.question,
                     "theirs": words.answer_word(answer.value, answer.na, answer.item.answer_type),
                     "mine": words.answer_word(given.value, given.na, answer.item.answer_type)})
    return rows


class AutosaveView(PermissionRequiredMixin, View):
    """The scoring screen's background save: JSON in, new revision out, 409 on a conflict."""

    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["post"]

    def post(self, request, pk):
        evaluation = editable_evaluation(request.user, pk)
        form = ScoreForm(request.POST, evaluation=evaluation)
        form.is_valid()  # A half-typed number must not stop the rest from being saved.
        revision = form.cleaned_data.get("revision")
        try:
            saved = scoring_sessions.save_review(evaluation, form.review_data(), revision=revision, by=request.user)
        except scoring_sessions.Conflict as exc:
            return JsonResponse({"error": " ".join(exc.messages), "conflict": True, "revision": exc.revision,
                                 "who": exc.who}, status=409)
        except scoring_sessions.NotEditable as exc:
            return JsonResponse({"error": " ".join(exc.messages)}, status=409)
        saved_at = formats.time(saved.updated_at)
        return JsonResponse({"revision": saved.revision, "saved_at": saved_at,
                             "invalid": sorted(form.errors.keys()),
                             "score": scoring_sessions.running_score(saved)})


def pin_json(pin: PinnedComment) -> dict:
    return {"id": pin.pk, "at": float(pin.at_seconds), "moment": pin.moment, "text": pin.text,
            "item": pin.item_id, "item_question": pin.item.question if pin.item_id else ""}


class PinCreateView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["post"]

    def post(self, request, pk):
        evaluation = editable_evaluation(request.user, pk)
        form = PinForm(request.POST, evaluation=evaluation)
        if form.is_valid():
            try:
                pin = scoring_sessions.pin_comment(evaluation, at_seconds=form.cleaned_data["at_seconds"],
                                            text=form.cleaned_data["text"], item_id=form.cleaned_data["item"],
                                            by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if wants_json(request):
                    return JsonResponse(pin_json(pin), status=201)
                messages.success(request, _("Comment pinned at %(moment)s.") % {"moment": pin.moment})
                return redirect("evaluation-score", evaluation.pk)
        text = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        if wants_json(request):
            return JsonResponse({"error": text}, status=422)
        messages.error(request, _("The comment was not pinned: %(why)s") % {"why": text})
        return redirect("evaluation-score", evaluation.pk)


class PinDeleteView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["post"]

    def post(self, request, pk):
        pin = get_object_or_404(PinnedComment.objects.select_related("evaluation"), pk=pk)
        evaluation = editable_evaluation(request.user, pin.evaluation_id)
        try:
            scoring_sessions.delete_pin(pin)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Pinned comment removed."))
        return redirect("evaluation-score", evaluation.pk)
