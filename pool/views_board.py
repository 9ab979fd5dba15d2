"""The board's pages: the shopper's profile and job board (claim, apply, withdraw), the planner's applicants page
and coverage (with "Offer to qualified shoppers nearby"), and the programmes' list and forms.

Who may do what is pool.access's: a shopper's pages need an active shopper (403 otherwise), planning needs
may_plan, programmes need may_run_pool. Someone else's offer or application is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from pool import access, rules
from pool import board as services
from pool.forms_board import ApplyForm, BoardFilterForm, CoverageForm, InviteForm, ProfileForm, ProgrammeForm
from pool.models import Application, Programme
from pool.pages import PlannerPage, PoolRunnerPage, ShopperPage
from qa.http import parse_id
from shops import services as shop_services
from shops.models import Assignment, Location

BOARD_PAGE = 10
PLAN_PAGE = 20
UNCOVERED_PAGE = 30


def errors_of(exc) -> str:
    return " ".join(exc.messages)


def refusal_notice(shopper, assignment, exc):
    """A refused claim or application as its notice: the reasons, and a link to "My qualifications" when one of
    them is a missing qualification (the text escaped: it carries names and reasons others typed)."""
    text = errors_of(exc)
    if services.refused_for_qualifications(shopper, assignment, text):
        return format_html('{} <a class="alert-link" href="{}">{}</a>', text, reverse("pool:qualifications"),
                           _("My qualifications"))
    return text


def clean_query(text: str) -> str:
    """A board query sent back with a form, re-encoded so only its own parameters return to the address."""
    query = QueryDict(text or "")
    result = QueryDict(mutable=True)
    for key in ("max_km", "date_from", "date_to", "min_fee", "lat", "lng", "page"):
        if query.get(key):
            result[key] = query[key][:40]
    return result.urlencode()








# ---- The shopper's profile ----

class ProfileView(ShopperPage, View):
    template_name = "pool/board/profile.html"

    def get(self, request):
        return self.page(request, ProfileForm(instance=services.profile_of(self.shopper)))

    def page(self, request, form, status=200):
        return render(request, self.template_name, {"form": form}, status=status)

    def post(self, request):
        profile = services.profile_of(self.shopper)
        form = ProfileForm(request.POST, instance=profile)
        if not form.is_valid():
            return self.page(request, form, status=422)
        services.save_profile(form.save(commit=False), request.user)
        messages.success(request, _("Profile saved. The job board measures distances from your home position."))
        return redirect("pool:board")


# ---- The job board ----

class BoardView(ShopperPage, View):
    template_name = "pool/board/board.html"

    def get(self, request):
        profile = services.profile_of(self.shopper)
        # "Within (km)" is the shopper's travel distance unless they chose (an empty field: any distance).
        default_km = profile.travel_km if profile.has_home and "max_km" not in request.GET else None
        data = request.GET
        if default_km:
            data = request.GET.copy()
            data["max_km"] = str(min(default_km, 1000))
        form = BoardFilterForm(data or None)
        status, cards, origin, position_refused = 200, [], None, []
        if form.is_bound and not form.is_valid():
            status = 400
            # A position not understood is said once above; the board still works, from home.
            position_refused = form.refuse_position()
        if not form.is_bound or form.is_valid():
            data = form.cleaned_data if form.is_bound else {}
            origin = form.origin if form.is_bound else None
            cards = services.board(self.shopper, origin, max_km=data.get("max_km"), date_from=data.get("date_from"),
                                   date_to=data.get("date_to"), min_fee=data.get("min_fee"))
        page = Paginator(cards, BOARD_PAGE).get_page(request.GET.get("page"))
        services.decorate(page.object_list, self.shopper)
        sent = request.GET.copy()
        for name in ("lat", "lng") if position_refused else ():
            sent.pop(name, None)  # pages and forms go on from home, not with the position refused
        query = sent.copy()
        query.pop("page", None)
        return render(request, self.template_name, {
            "form": form, "page_obj": page, "cards": page.object_list, "profile": profile,
            "origin": origin, "from_home": origin is None and profile.has_home,
            "query_without_page": query.urlencode(), "query": sent.urlencode(),
            "filtered": form.is_bound and any(request.GET.get(k) for k in ("max_km", "date_from", "date_to",
                                                                           "min_fee")),
            "default_km": default_km, "position_refused": position_refused,
            "apply_form": ApplyForm(), "today": timezone.localdate(),
            "applications": Application.objects.filter(shopper=self.shopper).select_related(
                "assignment__location").order_by("-applied_at", "-pk")[:10],
        }, status=status)


def back_to_board(request):
    query = clean_query(request.POST.get("query", ""))
    return redirect(reverse("pool:board") + ("?" + query if query else ""))


class ClaimView(ShopperPage, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_object_or_404(shop_services.offered_to(self.shopper).select_related("location"), pk=pk)
        try:
            services.claim(assignment, self.shopper)
        except ValidationError as exc:
            messages.error(request, refusal_notice(self.shopper, assignment, exc))
            return back_to_board(request)
        messages.success(request, _("The visit to %(location)s is yours. Its brief and address are under “Your "
                                    "visits” on your home page.") % {"location": str(assignment.location)})
        note = rules.lockout_note(self.shopper, assignment)
        if note:
            messages.warning(request, note)
        return redirect("home")


class ApplyView(ShopperPage, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_object_or_404(shop_services.offered_to(self.shopper).select_related("location"), pk=pk)
        form = ApplyForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        if not form.is_valid():
            messages.error(request, _("Keep the note to 300 characters."))
            return back_to_board(request)
        try:
            services.apply(assignment, self.shopper, note)
        except ValidationError as exc:
            messages.error(request, refusal_notice(self.shopper, assignment, exc))
        else:
            messages.success(request, _("You applied for the visit to %(location)s. The planner chooses among the "
                                        "applicants; the answer appears under “My applications” below.") % {
                "location": str(assignment.location)})
            note = rules.lockout_note(self.shopper, assignment)
            if note:
                messages.warning(request, note)
        return back_to_board(request)


class WithdrawView(ShopperPage, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.select_related("assignment__location"), pk=pk,
                                        shopper=self.shopper)
        try:
            services.withdraw(application)
        except ValidationError as exc:
            messages.error(request, errors_of(exc))
        else:
            messages.success(request, _("Application withdrawn: %(location)s.") % {
                "location": str(application.assignment.location)})
        return back_to_board(request)


# ---- The planner's choice among applicants ----

class ApplicantsView(PlannerPage, View):
    template_name = "pool/board/applicants.html"

    def get_assignment(self, pk):
        return get_object_or_404(Assignment.objects.select_related("location__region", "shopper__user",
                                                                   "version__scorecard", "plan_follow_up"), pk=pk)

    ORDERS = [("applied", _("first applied")), ("distance", _("nearest")), ("rating", _("highest rated"))]

    def get(self, request, pk):
        assignment = self.get_assignment(pk)
        order, status = request.GET.get("order") or "applied", 200
        if order not in services.APPLICANT_ORDERS:  # shown in the first order, with why
            messages.error(request, _("Sort the applicants by one of the orders offered: first applied, nearest "
                                      "or highest rated."))
            order, status = "applied", 400
        in_person = services.distance_matters(assignment)
        return render(request, self.template_name, {
            "assignment": assignment, "applications": services.applicants(assignment, order),
            "programme": services.programme_of(assignment), "order": order, "in_person": in_person,
            "orders": [(value, label) for value, label in self.ORDERS if in_person or value != "distance"],
        }, status=status)

    def post(self, request, pk):
        assignment = self.get_assignment(pk)
        application_id = parse_id(request.POST.get("application"))
        application = get_object_or_404(Application, pk=application_id, assignment=assignment) \
            if application_id is not None else None
        if application is None:
            messages.error(request, _("Choose an applicant with their own button."))
            return redirect("pool:applicants", assignment.pk)
        try:
            services.choose(application, request.user)
        except ValidationError as exc:
            messages.error(request, errors_of(exc))
            return redirect("pool:applicants", assignment.pk)
        messages.success(request, _("%(shopper)s has the visit to %(location)s; the other applicants are told they "
                                    "were not chosen.") % {"shopper": application.shopper,
                                                            "location": str(assignment.location)})
        return redirect("assignment-detail", assignment.pk)


# ---- Coverage ----

class CoverageView(PlannerPage, View):
    template_name = "pool/board/coverage.html"
    DEFAULT_DAYS = 7

    def settings_from(self, request):
        start, end = services.month_of(timezone.localdate())
        form = CoverageForm(request.GET or None, initial={"date_from": start, "date_to": end,
                                                          "days": self.DEFAULT_DAYS})
        programme, days = None, self.DEFAULT_DAYS
        valid = not form.is_bound or form.is_valid()
        if form.is_bound and valid:
            data = form.cleaned_data
            programme = data.get("programme")
            start, end = data.get("date_from") or start, data.get("date_to") or end
            if data.get("date_from") and not data.get("date_to") and end < start:
                end = services.month_of(start)[1]
            days = self.DEFAULT_DAYS if data.get("days") is None else data["days"]
            # A field left out (a programme chosen, a page turned) shows the period and days the page covers.
            shown = form.data.copy()
            for name, value in (("date_from", start), ("date_to", end), ("days", days)):
                if not shown.get(name):
                    shown[name] = str(value)
            form.data = shown
        return form, valid, programme, start, end, days

    def get(self, request):
        return self.page(request)

    def page(self, request, invite_form=None, status=200):
        form, valid, programme, start, end, days = self.settings_from(request)
        uncovered = services.uncovered_locations(programme, start, end) if valid else Location.objects.none()
        visits = services.unclaimed(programme, days) if valid else Assignment.objects.none()
        uncovered_page = Paginator(uncovered, UNCOVERED_PAGE).get_page(request.GET.get("lpage"))
        visit_page = Paginator(visits, PLAN_PAGE).get_page(request.GET.get("page"))
        nearby = services.qualified_nearby(visit_page.object_list)
        refused = services.named_refusals(visit_page.object_list)
        for visit in visit_page.object_list:
            visit.nearby = len(nearby.get(visit.pk, []))
            visit.anywhere = not services.distance_matters(visit)
            visit.refused = refused.get(visit.pk)
        tickable = sum(1 for v in visit_page.object_list if not v.shopper_id and v.nearby)
        can_tick = tickable > 0
        query = request.GET.copy()
        query.pop("page", None)
        lquery = request.GET.copy()
        lquery.pop("lpage", None)
        return render(request, self.template_name, {
            "form": form, "programme": programme, "start": start, "end": end, "days": days,
            "uncovered_page": uncovered_page, "visit_page": visit_page, "page_obj": visit_page,
            "query_without_page": query.urlencode(), "query_without_lpage": lquery.urlencode(),
            "query": request.GET.urlencode(), "invite_form": invite_form, "today": timezone.localdate(),
            "valid": valid, "can_tick": can_tick, "tickable": tickable,
        }, status=status if valid else 400)

    def post(self, request):
        # The filters the page was showing come back in "query", so the same visits are read.
        request.GET = QueryDict(request.POST.get("query", ""))
        form, valid, programme, start, end, days = self.settings_from(request)
        pool_visits = services.unclaimed(programme, days).filter(shopper__isnull=True) if valid else \
            Assignment.objects.none()
        invite_form = InviteForm(request.POST, visits=list(pool_visits.values_list("pk", flat=True)))
        if not invite_form.is_valid():
            for errors in invite_form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.page(request, invite_form, status=400)
        chosen = list(pool_visits.filter(pk__in=invite_form.chosen))
        made, nobody = services.invite(chosen, request.user)
        if made:
            messages.success(request, ngettext(
                "%(n)s qualified shopper nearby invited; they are e-mailed and see “Invited” on their job board.",
                "%(n)s invitations sent to qualified shoppers nearby; each is e-mailed and sees “Invited” on their "
                "job board.", made) % {"n": made})
        else:
            messages.info(request, _("No new invitations: the qualified shoppers nearby were already invited."))
        if nobody:
            messages.warning(request, ngettext(
                "%(n)s visit has no qualified shopper within their travel distance: offer it to a shopper by name, "
                "or widen the programme's rules.",
                "%(n)s visits have no qualified shopper within their travel distance: offer them to shoppers by "
                "name, or widen the programme's rules.", nobody) % {"n": nobody})
        query = request.POST.get("query", "")
        return redirect(reverse("pool:coverage") + ("?" + QueryDict(query).urlencode() if query else ""))


# ---- Programmes ----

class ProgrammeListView(PoolRunnerPage, View):
    def get(self, request):
        programmes = Programme.objects.prefetch_related("scorecards", "required_qualifications").order_by(
            "-active", "name")
        page = Paginator(programmes, 25).get_page(request.GET.get("page"))
        return render(request, "pool/board/programme_list.html", {"page_obj": page})


class ProgrammeFormView(PoolRunnerPage, View):
    template_name = "pool/board/programme_form.html"

    def get_programme(self, pk):
        return get_object_or_404(Programme, pk=pk) if pk is not None else Programme()

    def get(self, request, pk=None):
        programme = self.get_programme(pk)
        return self.page(request, ProgrammeForm(instance=programme), programme)

    def page(self, request, form, programme, status=200):
        title = (_("Edit the programme “%(name)s”") % {"name": programme.name} if programme.pk
                 else _("New programme"))
        return render(request, self.template_name, {"form": form, "programme": programme, "title": title},
                      status=status)

    @staticmethod
    def saved_message(programme, added, removed) -> str:
        """Saved, and what a change of scorecards did to visits not yet made and applications waiting."""
        text = _("Programme “%(name)s” saved.") % {"name": programme.name}
        visits, waiting = services.following(added)
        if added:
            text += " " + _("%(visits)s and %(waiting)s now follow this programme's rules.") % {
                "visits": ngettext("%(n)s open visit", "%(n)s open visits", visits) % {"n": visits},
                "waiting": ngettext("%(n)s waiting application", "%(n)s waiting applications", waiting) % {
                    "n": waiting}}
        if removed:
            visits, waiting = services.following(removed)
            text += " " + _("Scorecards taken out: %(visits)s and %(waiting)s no longer follow this programme's "
                            "rules.") % {
                "visits": ngettext("%(n)s open visit", "%(n)s open visits", visits) % {"n": visits},
                "waiting": ngettext("%(n)s waiting application", "%(n)s waiting applications", waiting) % {
                    "n": waiting}}
        return text

    def post(self, request, pk=None):
        programme = self.get_programme(pk)
        saved_name = programme.name
        before = set(programme.scorecards.values_list("pk", flat=True)) if programme.pk else set()
        form = ProgrammeForm(request.POST, instance=programme)
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.instance._history_user = request.user
                    form.save()
            except IntegrityError:
                form.add_error("scorecards", _("A scorecard chosen was just added to another programme: a scorecard "
                                               "belongs to one programme at most."))
            else:
                after = {scorecard.pk for scorecard in form.cleaned_data.get("scorecards") or []}
                messages.success(request, self.saved_message(form.instance, after - before, before - after))
                return redirect("pool:programmes")
        programme.name = saved_name
        return self.page(request, form, programme, status=422)
