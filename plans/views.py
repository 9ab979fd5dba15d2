"""The plans' pages: the list (with the targets missed in the viewer's reach, each with "Open a plan"), a plan's
page, its forms and actions, and the triggers' settings (QA leads and administrators).

Reach is plans.scoping's; what a person may do on a plan is asked there too. A plan outside the viewer's reach
is a 404, an action they may not take a 403."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from plans import history, scoping, services, triggers
from plans.forms import ActionForm, DoneForm, PlanFilter, PlanForm, TriggerForm
from plans.models import ActionPlan, CorrectiveAction, TriggerRule
from qa import formats, roles
from qa import scoping as qa_scoping
from qa.forms import add_service_errors
from qa.http import parse_id
from qa.models import Evaluation
from reports.models import PolicyTarget
from reports.views import may_read_reports

PAGE_SIZE = 25


class PlanAccessMixin(LoginRequiredMixin):
    """Everyone who reads reports reads plans (their own reach); shoppers never."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_plan(self, pk=None):
        plans = scoping.plans_for(self.request.user).select_related(
            "location__region", "employee__location__region", "owner", "target", "signed_off_by", "created_by")
        return get_object_or_404(plans, pk=self.kwargs["pk"] if pk is None else pk)


def decorate(plans, today):
    """Each plan with its action counts and whether one is overdue, from prefetched actions."""
    for plan in plans:
        actions = list(plan.actions.all())
        plan.action_total = len(actions)
        plan.action_done = sum(1 for a in actions if a.done_at)
        plan.overdue = any(a.is_overdue(today) for a in actions) and not plan.is_closed
        plan.next_due = min((a.due_date for a in actions if not a.done_at), default=None)
    return plans


def missed_targets(user, limit=20):
    """Targets missed in the viewer's reach with no plan yet, under the first active target trigger's period and
    minimum sample (30 days and 5 evaluations when there is none): the rows a manager opens plans from."""
    rule = triggers.active(TriggerRule.Kind.TARGET).first() or TriggerRule(period_days=30, min_sample=5)
    rows = []
    for field, reach in (("location", qa_scoping.locations_for(user)), ("employee", qa_scoping.employees_for(user))):
        found = triggers.missed(rule, field)
        objects = reach.select_related("location" if field == "employee" else "region").in_bulk(
            [pk for pk, *_rest in found])
        keys = set(ActionPlan.objects.unresolved().filter(**{f"{field}__in": list(objects)}).values_list(
            "cause_key", flat=True)) | _manual_keys(field, objects)
        for pk, target, value, n in found:
            if pk in objects and f"target:{target.kpi}:{field}:{pk}" not in keys:
                rows.append({"field": field, "object": objects[pk], "target": target, "value": value, "n": n,
                             "observed": ngettext("%(kpi)s %(value)s%(unit)s over %(n)s evaluation",
                                                  "%(kpi)s %(value)s%(unit)s over %(n)s evaluations", n) % {
                                 "kpi": target.get_kpi_display(), "value": formats.figure(value, 1),
                                 "unit": target.unit, "n": n},
                             "kind": _("Location") if field == "location" else _("Employee")})
    rows.sort(key=lambda r: (r["value"] - float(r["target"].target)) * (
        1 if r["target"].comparison == PolicyTarget.Comparison.AT_LEAST else -1))
    return rows[:limit], rule


def _manual_keys(field, objects):
    """A plan opened by hand about a missed target counts as that target's plan (no second "Open a plan")."""
    plans = ActionPlan.objects.unresolved().filter(**{f"{field}__in": list(objects)}, target__isnull=False,
                                                   cause_key="")
    return {f"target:{kpi}:{field}:{pk}" for kpi, pk in plans.values_list("target__kpi", f"{field}_id")}


class PlanListView(PlanAccessMixin, ListView):
    template_name = "plans/plan_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        base = scoping.plans_for(self.request.user).select_related(
            "location", "employee__location", "owner").prefetch_related("actions")
        params = self.request.GET.copy()
        if "status" not in params:
            params["status"] = "unresolved"
        self.filterset = PlanFilter(params, queryset=base, user=self.request.user)
        if not self.filterset.is_valid():
            self.bad_filter = True
            return base.none()
        return self.filterset.qs.order_by("-created_at", "-pk")

    def get(self, request, *args, **kwargs):
        self.bad_filter = False
        response = super().get(request, *args, **kwargs)
        if self.bad_filter:  # a filter the address carries, as on the report pages: 400, not a form sent back
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decorate(context["page_obj"].object_list, timezone.localdate())
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_without_page=query.urlencode(), bad_filter=self.bad_filter,
                       may_open=scoping.may_open_plans(self.request.user),
                       may_edit_triggers=roles.has_role(self.request.user, roles.ADMINISTRATOR, roles.QA_LEAD))
        if context["may_open"]:
            context["missed"], context["missed_rule"] = missed_targets(self.request.user)
        return context


def prefill(request):
    """What the "Open a plan" links fill in: a location, an employee, a target, evaluations, each only when within
    the viewer's reach (an id out of reach or malformed is ignored, never shown)."""
    user, initial, evaluations = request.user, {}, []
    location = parse_id(request.GET.get("location"))
    employee = parse_id(request.GET.get("employee"))
    target = parse_id(request.GET.get("target"))
    if location is not None:
        initial["location"] = qa_scoping.locations_for(user).filter(pk=location).first()
    if employee is not None:
        # An employee's row is about the employee only (the location is left empty, so the plan is not counted as
        # the location's), verified the way they are evaluated.
        initial["employee"] = qa_scoping.employees_for(user).select_related("location").filter(pk=employee).first()
    if target is not None:
        initial["target"] = PolicyTarget.objects.filter(pk=target).first()
    ids = [parse_id(v) for v in request.GET.getlist("evaluation")]
    if any(pk is not None for pk in ids):
        evaluations = list(qa_scoping.evaluations_for(user).select_related("location", "employee").filter(
            pk__in=[pk for pk in ids if pk is not None]))
        if evaluations and not initial.get("location") and not initial.get("employee"):
            initial["location"] = evaluations[0].location
            initial["employee"] = evaluations[0].employee
    if initial.get("employee"):
        initial["follow_up_kind"] = follow_up_for(initial["employee"], evaluations)
    who = initial.get("employee") or initial.get("location")
    observed = request.GET.get("observed", "")[:200]
    if initial.get("target") and who:
        initial["title"] = _("%(kpi)s below target: %(who)s") % {"kpi": initial["target"].get_kpi_display(),
                                                                  "who": who.name}
        initial["observed"] = observed
    elif who and observed:  # a report's low-scoring row (plans.report_tables.low_scores)
        initial["title"] = _("Low scores: %(who)s") % {"who": who.name}
        initial["observed"] = observed
    elif evaluations:
        initial["title"] = _("Follow-up of %(evaluation)s") % {"evaluation": evaluations[0]}
    initial["owner"] = user.pk
    return {k: v for k, v in initial.items() if v}, evaluations


def follow_up_for(employee, evaluations):
    """How a plan about this employee is best verified: re-reviews when they are judged on reviewed calls and
    messages, re-shops of their location when on shop visits. Decided by the evaluations the plan links (of this
    employee), else by their latest released ones."""
    own = [e.interaction_id is not None for e in evaluations if e.employee_id == employee.pk]
    if not own:
        own = [pk is not None for pk in Evaluation.objects.counted().filter(employee=employee).order_by(
            "-interaction_at", "-pk").values_list("interaction_id", flat=True)[:20]]
    if not own:
        own = [employee.interactions.exists()]
    reviewed = sum(own)
    return ActionPlan.FollowUpKind.REREVIEW if reviewed * 2 >= len(own) and reviewed else ActionPlan.FollowUpKind.RESHOP


class PlanCreateView(PlanAccessMixin, CreateView):
    model = ActionPlan
    form_class = PlanForm
    template_name = "plans/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scoping.may_open_plans(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        self.prefilled, self.evaluations = prefill(self.request)
        return self.prefilled

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Open an action plan"), evaluations=self.evaluations)
        return context

    def form_valid(self, form):
        fields = {name: value for name, value in form.cleaned_data.items()}
        if fields.get("target"):  # opened from a missed target (the list's "Open a plan"), or about one
            fields["origin"] = ActionPlan.Origin.TARGET
        plan, _created = services.open_plan(by=self.request.user, evaluations=self.evaluations, **fields)
        messages.success(self.request, _("Plan opened. Add its corrective actions, each with an owner and a due "
                                         "date."))
        return redirect(plan)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class PlanUpdateView(PlanAccessMixin, UpdateView):
    form_class = PlanForm
    template_name = "plans/plan_form.html"

    def get_object(self, queryset=None):
        plan = self.get_plan()
        if not scoping.may_manage(self.request.user, plan):
            raise PermissionDenied
        self.saved_title = plan.title  # the form writes what was typed into the object before it is saved
        return plan

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Edit the plan “%(title)s”") % {"title": self.saved_title}, evaluations=[],
                       saved_title=self.saved_title)
        return context

    def form_valid(self, form):
        if services.save_edit(form.instance, form.changed_data, by=self.request.user):
            messages.warning(self.request, _("Plan saved. Its sign-off was withdrawn because what the manager agreed "
                                             "to changed (the analysis, the owner, whom it is about or how it is "
                                             "verified): it needs signing off again."))
        else:
            messages.success(self.request, _("Plan saved."))
        return redirect(form.instance)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


def follow_up_rows(plan):
    """This round's follow-ups with their state and, once released, their score."""
    rows = []
    follow_ups = plan.follow_ups.filter(round=plan.verification_round).select_related(
        "assignment__location", "interaction", "review_task")
    released = {e.visit.assignment_id if hasattr(e, "visit") else None: e
                for e in services.follow_up_evaluations(plan).select_related("visit")}
    by_interaction = {e.interaction_id: e for e in services.follow_up_evaluations(plan) if e.interaction_id}
    for follow_up in follow_ups:
        if follow_up.assignment_id:
            evaluation = released.get(follow_up.assignment_id)
            what = _("Re-shop of %(location)s, %(start)s to %(end)s") % {
                "location": follow_up.assignment.location.name, "start": formats.date(follow_up.assignment.window_start),
                "end": formats.date(follow_up.assignment.window_end)}
            state = follow_up.assignment.get_status_display()
        else:
            evaluation = by_interaction.get(follow_up.interaction_id)
            what = _("Re-review of %(interaction)s") % {"interaction": follow_up.interaction}
            state = follow_up.review_task.get_status_display() if follow_up.review_task else _("Removed")
        rows.append({"what": what, "state": state, "evaluation": evaluation,
                     "meets": services.meets(plan, evaluation) if evaluation else None})
    return rows


class PlanDetailView(PlanAccessMixin, View):
    def get(self, request, pk, action_form=None, status=200):
        plan = self.get_plan()
        user = request.user
        actions = list(plan.actions.select_related("owner", "done_by"))
        today = timezone.localdate()
        may_manage = scoping.may_manage(user, plan)
        rows = follow_up_rows(plan)
        context = {
            "plan": plan, "actions": actions, "today": today,
            "overdue": [a for a in actions if a.is_overdue(today)],
            "evaluations": qa_scoping.evaluations_for(user).filter(action_plans=plan).select_related(
                "location", "employee", "version__scorecard", "interaction", "evaluator"),
            "items": list(plan.items.all()),
            "may_manage": may_manage and not plan.is_closed,
            "may_sign_off": scoping.may_sign_off(user, plan) and not plan.signed_off_at and bool(actions),
            "may_acknowledge": (scoping.is_plan_employee(user, plan) and not plan.acknowledged_at
                                and services.ready_to_acknowledge(plan)),
            "to_acknowledge": bool(actions) and bool(plan.root_cause),
            "is_plan_employee": scoping.is_plan_employee(user, plan),
            "may_done": {a.pk for a in actions if not a.done_at and scoping.may_mark_done(user, a)},
            "action_form": action_form or (ActionForm(plan=plan) if may_manage and services.takes_actions(plan) else None),
            "follow_ups": rows,
            "released_n": sum(1 for r in rows if r["evaluation"]),
            "history": Paginator(history.entries(plan), 20).get_page(request.GET.get("history")),
            "escalated_to": list(plan.escalated_to.all()),
        }
        return render(request, "plans/plan_detail.html", context, status=status)


class PlanPostView(PlanAccessMixin, View):
    def refuse(self, exc, plan):
        messages.error(self.request, " ".join(exc.messages))
        response = redirect(plan)
        return response


class ActionAddView(PlanPostView):
    def post(self, request, pk):
        plan = self.get_plan()
        if not scoping.may_manage(request.user, plan):
            raise PermissionDenied
        form = ActionForm(request.POST, plan=plan)
        if not form.is_valid():
            return PlanDetailView(request=request, kwargs={"pk": pk}).get(request, pk, action_form=form, status=422)
        was_signed_off = bool(plan.signed_off_at)
        try:
            services.add_action(plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return PlanDetailView(request=request, kwargs={"pk": pk}).get(request, pk, action_form=form, status=409)
        added = _("Action added: %(owner)s, due %(due)s.") % {
            "owner": form.cleaned_data["owner"].get_full_name() or form.cleaned_data["owner"].username,
            "due": formats.date(form.cleaned_data["due_date"])}
        if was_signed_off:
            messages.warning(request, added + " " + _("The plan's sign-off was withdrawn: the manager agreed to the "
                                                      "actions listed then, so it needs signing off again."))
        else:
            messages.success(request, added)
        return redirect(plan)


class ActionDoneView(PlanPostView):
    def post(self, request, pk):
        action = get_object_or_404(CorrectiveAction.objects.filter(plan__in=scoping.plans_for(request.user))
                                   .select_related("plan__location", "plan__employee__location"), pk=pk)
        if not scoping.may_mark_done(request.user, action):
            raise PermissionDenied
        form = DoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(action.plan)
        try:
            services.mark_done(action, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            return self.refuse(exc, action.plan)
        action.plan.refresh_from_db()
        if action.plan.status == ActionPlan.Status.VERIFYING:
            messages.success(request, ngettext(
                "Action done. Every action is done: the follow-up has started (%(kind)s: %(n)s evaluation).",
                "Action done. Every action is done: the follow-up has started (%(kind)s: %(n)s evaluations).",
                action.plan.follow_up_count) % {"n": action.plan.follow_up_count,
                                                "kind": action.plan.get_follow_up_kind_display().lower()})
        else:
            messages.success(request, _("Action marked done."))
        return redirect(action.plan)


class SignOffView(PlanPostView):
    """The manager's sign-off, in two steps: this page says what is being signed off (the root cause, the
    actions, how success will be verified) and asks to confirm; a plan with no root cause is refused."""

    def get(self, request, pk):
        plan = self.get_plan()
        if not scoping.may_sign_off(request.user, plan):
            raise PermissionDenied
        if plan.signed_off_at:
            messages.info(request, _("This plan was already signed off."))
            return redirect(plan)
        actions = list(plan.actions.select_related("owner"))
        return render(request, "plans/sign_off.html", {"plan": plan, "actions": actions,
                                                       "refusal": services.sign_off_refusal(plan),
                                                       "analysed": bool(plan.root_cause),
                                                       "may_manage": scoping.may_manage(request.user, plan)})

    def post(self, request, pk):
        plan = self.get_plan()
        if not scoping.may_sign_off(request.user, plan):
            raise PermissionDenied
        try:
            services.sign_off(plan, by=request.user)
        except ValidationError as exc:
            return self.refuse(exc, plan)
        messages.success(request, _("Plan signed off."))
        return redirect(plan)


class AcknowledgeView(PlanPostView):
    def post(self, request, pk):
        plan = self.get_plan()
        if not scoping.is_plan_employee(request.user, plan):
            raise PermissionDenied
        try:
            services.acknowledge(plan, by=request.user)
        except ValidationError as exc:
            return self.refuse(exc, plan)
        messages.success(request, _("Thank you: the plan is acknowledged."))
        return redirect(plan)


class TriggerAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not roles.has_role(request.user, roles.ADMINISTRATOR, roles.QA_LEAD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TriggerListView(TriggerAccessMixin, ListView):
    template_name = "plans/trigger_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return TriggerRule.objects.select_related("target").order_by("kind", "name")


class TriggerFormMixin(TriggerAccessMixin):
    model = TriggerRule
    form_class = TriggerForm
    template_name = "plans/trigger_form.html"

    def form_valid(self, form):
        form.instance._history_user = self.request.user
        form.save()
        messages.success(self.request, _("Trigger “%(name)s” saved.") % {"name": form.instance.name})
        return redirect("plans:triggers")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class TriggerCreateView(TriggerFormMixin, CreateView):
    extra_context = {"title": _("New trigger")}


class TriggerUpdateView(TriggerFormMixin, UpdateView):
    extra_context = {"title": _("Edit trigger")}
