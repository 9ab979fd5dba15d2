"""Coaching pages: sessions (list, schedule, page, write-up, confirm) and their templates."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from coaching import access, effect, sessions
from coaching.forms import ConfirmForm, GoalFormSet, NewSessionForm, SessionForm, TemplateForm
from coaching.models import Attendance, CoachingSession, Goal, SessionTemplate
from qa import roles, scoping
from qa.http import parse_id
from qa.models import Recording

PAGE_SIZE = 20


class RoleMixin(LoginRequiredMixin):
    """403 for a signed-in person whose role has no business here (`allowed`)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user) -> bool:
        raise NotImplementedError


def takes_part(user) -> bool:
    """Coaches and the coached: who has a sessions page."""
    return access.may_coach(user) or access.coached_employee(user) is not None


def session_for(user, pk) -> CoachingSession:
    pk = parse_id(pk)
    if pk is None:
        raise Http404
    return get_object_or_404(
        access.sessions_for(user).select_related("coach", "template").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("employee__location", "employee__user",
                                                                   "confirmed_by"))),
        pk=pk)


class SessionListView(RoleMixin, View):
    allowed = staticmethod(takes_part)

    def get(self, request):
        user = request.user
        found = access.sessions_for(user).select_related("coach").prefetch_related("attendances__employee")
        show = request.GET.get("show", "")
        if show == "unconfirmed":
            found = found.filter(coach_confirmed_at__isnull=True) | found.filter(attendances__confirmed_at__isnull=True)
            found = found.distinct()
        elif show == "upcoming":
            found = found.filter(scheduled_at__gte=timezone.now())
        employee_id = parse_id(request.GET.get("employee", ""))
        can_coach = access.may_coach(user)
        if employee_id is not None:
            found = found.filter(attendances__employee_id=employee_id)
        page = Paginator(found.order_by("-scheduled_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        waiting = set(access.awaiting_confirmation(user).values_list("session_id", flat=True))
        rows = [{"session": s, "status": sessions.status_of(s), "awaits_me": s.pk in waiting}
                for s in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "coaching/session_list.html", {
            "rows": rows, "page_obj": page, "show": show, "employee_id": employee_id,
            "employees": employee_choices(user) if can_coach else [],
            "title": _("Coaching sessions") if can_coach else _("My coaching sessions"),
            "waiting": len(waiting),
            "can_coach": can_coach, "can_manage": access.manages_templates(user),
            "query_without_page": query.urlencode(), "filtered": bool(show or employee_id)})


def employee_choices(user) -> list[tuple[int, str]]:
    """The employee filter's options: a name shared by two people is told apart by their location, and where
    that is shared too by their login or employee code."""
    employees = list(scoping.employees_for(user).select_related("location", "user").order_by("name", "pk"))
    names, places = {}, {}
    for e in employees:
        names[e.name] = names.get(e.name, 0) + 1
        places[(e.name, e.location_id)] = places.get((e.name, e.location_id), 0) + 1
    choices = []
    for e in employees:
        label = e.name
        if names[e.name] > 1:
            label = f"{e.name} · {e.location.name}"
            if places[(e.name, e.location_id)] > 1:
                label += f" ({e.user.username if e.user_id else e.employee_code or e.pk})"
        choices.append((e.pk, label))
    return choices


class SessionCreateView(RoleMixin, View):
    allowed = staticmethod(access.may_coach)

    def _employee_ids(self, request, data):
        return [i for i in (parse_id(v) for v in data.getlist("employees") + data.getlist("employee")) if i is not None]

    def get(self, request):
        user = request.user
        initial = {"scheduled_at": (timezone.localtime() + timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0)}
        employee_ids = self._employee_ids(request, request.GET)
        evaluation_id = request.GET.get("evaluation")
        starting = None
        if evaluation_id is not None:
            pk = parse_id(evaluation_id)
            evaluation = get_object_or_404(scoping.counted_for(user).filter(employee__isnull=False), pk=pk) \
                if pk is not None else None
            if evaluation is None:
                raise Http404
            # The evaluation the coach started from stays chosen when they add colleagues for a team workshop
            # or pick a template; it is dropped only when its employee is no longer among those coached.
            if not employee_ids or evaluation.employee_id in employee_ids:
                starting = evaluation
                employee_ids = [evaluation.employee_id] + [i for i in employee_ids if i != evaluation.employee_id]
                initial["evaluations"] = [evaluation.pk]
                if len(employee_ids) == 1:
                    initial["title"] = _("Coaching %(name)s on %(what)s") % {
                        "name": evaluation.employee.name, "what": evaluation.title(with_evaluator=False)}
        template_id = parse_id(request.GET.get("template", ""))
        template = SessionTemplate.objects.filter(pk=template_id, active=True).first() if template_id else None
        if template is not None:
            initial.update(template=template, agenda=template.agenda)
            initial.setdefault("title", template.name)
        employees = list(scoping.employees_for(user).filter(pk__in=employee_ids))
        initial["employees"] = employees
        if employees and "title" not in initial:
            initial["title"] = _("Coaching %(name)s") % {"name": ", ".join(e.name for e in employees)}
        form = NewSessionForm(initial=initial, user=user, employee_ids=[e.pk for e in employees])
        return self.page(request, form, employees, template, starting=starting)

    def page(self, request, form, employees, template=None, status=200, starting=None):
        return render(request, "coaching/session_new.html", {
            "form": form, "employees": employees, "templates": SessionTemplate.objects.filter(active=True),
            "chosen_template": template, "starting": starting,
            "starting_title": starting.title(with_evaluator=False) if starting else ""}, status=status)

    def post(self, request):
        user = request.user
        employee_ids = self._employee_ids(request, request.POST)
        form = NewSessionForm(request.POST, user=user, employee_ids=employee_ids)
        employees = list(scoping.employees_for(user).filter(pk__in=employee_ids))
        template_id = parse_id(request.POST.get("template", ""))
        template = SessionTemplate.objects.filter(pk=template_id).first() if template_id else None
        if not form.is_valid():
            return self.page(request, form, employees, template, status=422)
        data = form.cleaned_data
        try:
            session = sessions.schedule(coach=user, employees=data["employees"], evaluations=data["evaluations"],
                                        scheduled_at=data["scheduled_at"], title=data["title"],
                                        agenda=data["agenda"], template=data["template"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.page(request, form, employees, template, status=422)
        told = [a.employee.name for a in session.attendances.select_related("employee__user") if a.employee.user
                and a.employee.user.email]
        message = _("Session scheduled.")
        if told:
            message += " " + _("%(names)s told by e-mail.") % {"names": ", ".join(told)}
        no_login = [a.employee.name for a in session.attendances.all() if a.employee.user_id is None]
        if no_login:
            message += " " + _("%(names)s: no login, so tell them yourself; after the session, record their "
                               "confirmation on this page.") % {"names": ", ".join(no_login)}
        messages.success(request, message)
        return redirect(session)


class SessionDetailView(RoleMixin, View):
    allowed = staticmethod(takes_part)

    def get(self, request, pk):
        user = request.user
        session = session_for(user, pk)
        visible = list(access.visible_evaluations(user, session).select_related("employee", "interaction", "location")
                       .prefetch_related("pins__item").order_by("interaction_at"))
        chosen_id = parse_id(request.GET.get("evaluation", ""))
        chosen = next((e for e in visible if e.pk == chosen_id), None)
        reachable = set(scoping.interactions_for(user).filter(
            pk__in=[e.interaction_id for e in visible if e.interaction_id]).values_list("pk", flat=True))
        recordings = {r.interaction_id: r for r in Recording.objects.filter(interaction_id__in=reachable)}
        if chosen is None:
            chosen = next((e for e in visible if e.interaction_id in recordings), visible[0] if visible else None)
        recording = recordings.get(chosen.interaction_id) if chosen else None
        attendances = list(session.attendances.all())
        coached = scoping.employees_for(user).filter(pk__in=[a.employee_id for a in attendances])
        mine = access.attendance_of(user, session)
        held = effect.measurable(session)
        return render(request, "coaching/session_detail.html", {
            "session": session, "status": sessions.status_of(session), "attendances": attendances,
            "evaluations": visible, "chosen": chosen, "recording": recording,
            "hidden_count": session.evaluations.count() - len(visible),
            "effects": effect.effects(session, list(coached.order_by("name"))) if held else [],
            "before_days": effect.BEFORE_DAYS,
            "team": len(attendances) > 1,
            "goals": list(session.goals.all()), "can_edit": access.may_edit(user, session),
            "is_coach": session.coach_id == user.pk, "mine": mine, "confirm_form": ConfirmForm(),
            "held": held,
            "history": history(session) if access.may_edit(user, session) or roles.is_qa_staff(user) else None,
        })


def history(session) -> list[dict]:
    """Who scheduled, changed and confirmed the session (and its goals and confirmations), newest first."""
    records = [*session.history.select_related("history_user")[:30]]
    records += [*Goal.history.filter(session_id=session.pk).select_related("history_user")[:30]]
    records += [*Attendance.history.filter(session_id=session.pk).select_related("history_user", "employee")[:30]]
    rows = []
    for record in sorted(records, key=lambda r: r.history_date, reverse=True)[:30]:
        who = record.history_user
        kind = record.instance_type
        action = {"+": _("added"), "~": _("changed"), "-": _("removed")}[record.history_type]
        if kind is Goal:
            subject = _("goal “%s”") % record.text
        elif kind is Attendance:
            subject = _("%s's attendance") % record.employee.name
        else:
            subject = _("the session")
        rows.append({"at": record.history_date, "who": (who.get_full_name() or who.username) if who else "–",
                     "what": f"{subject} {action}"})
    return rows


class SessionEditView(RoleMixin, View):
    allowed = staticmethod(access.may_coach)

    def _session(self, request, pk):
        session = session_for(request.user, pk)
        if not access.may_edit(request.user, session):
            raise PermissionDenied
        session.saved_title = session.title  # a form sent back must not rename the page before it is saved
        return session

    def page(self, request, session, form, goals, status=200):
        return render(request, "coaching/session_edit.html", {
            "session": session, "form": form, "goals": goals, "errors": error_summary(form, goals)}, status=status)

    def get(self, request, pk):
        session = self._session(request, pk)
        return self.page(request, session, SessionForm(instance=session), GoalFormSet(instance=session))

    def post(self, request, pk):
        session = self._session(request, pk)
        form = SessionForm(request.POST, instance=session)
        goals = GoalFormSet(request.POST, instance=session)
        if not (form.is_valid() and goals.is_valid()):
            return self.page(request, session, form, goals, status=422)
        with transaction.atomic():
            form.save()
            goals.save()
        messages.success(request, _("Session saved: agenda, notes and goals."))
        return redirect(session)


def error_summary(form, goals) -> list[dict]:
    """Every error of the write-up, the session's fields' and each goal's, for the summary at the top of the page:
    (label, message, anchor of the field)."""
    if not form.is_bound:
        return []
    found = [{"label": "", "message": e, "anchor": ""} for e in form.non_field_errors()]
    for field in form:
        found += [{"label": field.label, "message": e, "anchor": field.id_for_label} for e in field.errors]
    found += [{"label": _("Goals"), "message": e, "anchor": ""} for e in goals.non_form_errors()]
    for number, goal in enumerate(goals.forms, start=1):
        found += [{"label": _("Goal %(n)s") % {"n": number}, "message": e, "anchor": ""}
                  for e in goal.non_field_errors()]
        for field in goal:
            found += [{"label": _("Goal %(n)s, %(field)s") % {"n": number, "field": str(field.label).lower()},
                       "message": e, "anchor": field.id_for_label} for e in field.errors]
    return found


class SessionConfirmView(RoleMixin, View):
    allowed = staticmethod(takes_part)

    def post(self, request, pk):
        user = request.user
        session = session_for(user, pk)
        mine = access.attendance_of(user, session)
        try:
            if "attendance" in request.POST:
                return self.record_in_person(request, session)
            if session.coach_id == user.pk:
                done = sessions.confirm_as_coach(session)
                who = _("You confirmed the session as its coach.")
            elif mine is not None:
                form = ConfirmForm(request.POST)
                if not form.is_valid():
                    messages.error(request, "; ".join(form.errors.get("comment", [])))
                    return redirect(session)
                done = sessions.confirm_as_employee(mine, by=user, comment=form.cleaned_data["comment"])
                who = _("Thank you: you confirmed the session.")
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(session)
        messages.success(request, who if done else _("This session was already confirmed."))
        return redirect(session)

    def record_in_person(self, request, session):
        """The coach (or a QA lead) records the confirmation an employee without a login gave in person."""
        if not access.may_edit(request.user, session):
            raise PermissionDenied
        pk = parse_id(request.POST.get("attendance", ""))
        attendance = next((a for a in session.attendances.all() if a.pk == pk), None) if pk is not None else None
        if attendance is None:
            raise Http404
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(form.errors.get("comment", [])))
            return redirect(session)
        try:
            done = sessions.record_in_person(attendance, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(session)
        messages.success(request, _("You recorded %(name)s's confirmation, given in person.") % {
            "name": attendance.employee.name} if done else _("%(name)s's confirmation was already recorded.") % {
            "name": attendance.employee.name})
        return redirect(session)


class TemplateListView(RoleMixin, View):
    allowed = staticmethod(access.manages_templates)

    def get(self, request):
        return render(request, "coaching/template_list.html", {"templates": SessionTemplate.objects.all()})


class TemplateEditView(RoleMixin, View):
    allowed = staticmethod(access.manages_templates)

    def _template(self, pk):
        if pk is None:
            return None
        pk = parse_id(pk)
        return get_object_or_404(SessionTemplate, pk=pk) if pk is not None else None

    def get(self, request, pk=None):
        template = self._template(pk)
        return render(request, "coaching/template_form.html", {"form": TemplateForm(instance=template),
                                                                "template": template})

    def post(self, request, pk=None):
        template = self._template(pk)
        form = TemplateForm(request.POST, instance=template)
        if not form.is_valid():
            return render(request, "coaching/template_form.html", {"form": form, "template": template}, status=422)
        saved = form.save()
        messages.success(request, _("Template “%(name)s” saved.") % {"name": saved.name})
        return redirect(reverse("coaching:templates"))
