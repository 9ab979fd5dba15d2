"""The ratings pages: the pool's shoppers for planners, one shopper's rating, visits, conflicts and bar, and a
shopper's own rating. Every view checks pool.access first."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from pool import access, ratings
from pool import ratings_shoppers as service
from pool.forms_ratings import BarForm, ConflictForm, ConflictRemoveForm, ShopperFilterForm, UnbarForm
from pool.models import Conflict
from pool.pages import PlannerPage
from qa import roles
from qa.http import parse_id
from shops.models import Shopper

PAGE_SIZE = 25


class PlannerMixin(PlannerPage):
    def get_shopper(self):
        pk = parse_id(self.kwargs["pk"])
        if pk is None:
            raise Http404
        return get_object_or_404(Shopper.objects.select_related("user", "home_region", "profile"), pk=pk)


class PoolRunnerMixin(PlannerMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may_run_pool(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ShopperListView(PlannerMixin, View):
    def get(self, request):
        form = ShopperFilterForm(request.GET or None)
        status, rows = 200, []
        if form.is_bound and not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data if form.is_bound else {}
            rows = service.search(q=data.get("q") or "", region=data.get("region"), min_rating=data.get("min_rating"),
                                  barred=data.get("barred") or "", sort=data.get("sort") or "name")
        page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "pool/ratings/shopper_list.html", {
            "form": form, "page_obj": page_obj, "query_without_page": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
            "minimum": ratings.MINIMUM, "window": ratings.WINDOW,
        }, status=status)


def detail_context(request, shopper, **forms) -> dict:
    may_run = access.may_run_pool(request.user)
    url = lambda name: reverse(name, args=[shopper.pk])  # noqa: E731
    barred = service.is_barred(shopper)
    context = {
        "shopper": shopper, "rating": ratings.of(shopper), "rules": ratings.rules_in_words(),
        "visits": service.reviewed_visits(shopper), "barred": barred,
        "profile": getattr(shopper, "profile", None) if barred else None,
        "open_visits": shopper.assignments.filter(status__in=service.OPEN).count(),
        "open_offers": service.open_offers(shopper),
        "conflicts": Conflict.objects.filter(shopper=shopper).select_related("location", "added_by")
        .order_by("location__name"),
        "history": service.history(shopper), "may_run": may_run,
        "report_link": "validation-detail" if request.user.has_perm(roles.CHANGE_EVALUATION) else "",
    }
    if may_run:
        context["conflict_form"] = forms.get("conflict_form") or ConflictForm(action=url("pool:conflict-add"))
        if barred:
            context["unbar_form"] = forms.get("unbar_form") or UnbarForm(action=url("pool:shopper-unbar"))
        else:
            context["bar_form"] = forms.get("bar_form") or BarForm(action=url("pool:shopper-bar"))
    return context


class ShopperDetailView(PlannerMixin, View):
    def get(self, request, pk):
        shopper = self.get_shopper()
        return render(request, "pool/ratings/shopper_detail.html", detail_context(request, shopper))


def refuse(request, shopper, **forms):
    """The page again with the refused form, whose summary (templates/bootstrap5/errors.html) says what to fix:
    no second alert above it saying the same."""
    return render(request, "pool/ratings/shopper_detail.html", detail_context(request, shopper, **forms), status=400)


def form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class BarView(PoolRunnerMixin, View):
    barred = True

    def post(self, request, pk):
        shopper = self.get_shopper()
        form_class, name = (BarForm, "bar_form") if self.barred else (UnbarForm, "unbar_form")
        form = form_class(request.POST, action=reverse(
            "pool:shopper-bar" if self.barred else "pool:shopper-unbar", args=[shopper.pk]))
        if service.is_barred(shopper) == self.barred:
            messages.info(request, _("%(shopper)s is already barred.") % {"shopper": shopper} if self.barred
                          else _("%(shopper)s is not barred.") % {"shopper": shopper})
            return redirect("pool:shopper", shopper.pk)
        if not form.is_valid():
            return refuse(request, shopper, **{name: form})
        try:
            service.set_barred(shopper, barred=self.barred, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
            return refuse(request, shopper, **{name: form})
        if self.barred:
            messages.success(request, _("%(shopper)s is barred from new visits. Visits they already accepted stay "
                                        "theirs.") % {"shopper": shopper})
        else:
            messages.success(request, _("The bar on %(shopper)s is lifted: they may take new visits again.")
                             % {"shopper": shopper})
        return redirect("pool:shopper", shopper.pk)


class UnbarView(BarView):
    barred = False


class ConflictAddView(PoolRunnerMixin, View):
    def post(self, request, pk):
        shopper = self.get_shopper()
        form = ConflictForm(request.POST, action=reverse("pool:conflict-add", args=[shopper.pk]))
        if not form.is_valid():
            return refuse(request, shopper, conflict_form=form)
        try:
            conflict = service.add_conflict(shopper, location=form.cleaned_data["location"],
                                            reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
            return refuse(request, shopper, conflict_form=form)
        messages.success(request, _("%(shopper)s will not be given visits to %(location)s.") % {
            "shopper": shopper, "location": str(conflict.location)})
        return redirect("pool:shopper", shopper.pk)


class ConflictRemoveView(PoolRunnerMixin, View):
    """GET asks to confirm (with an optional note); POST removes, and the history keeps who, when and why."""

    def get_conflict(self, shopper):
        conflict_pk = parse_id(self.kwargs["conflict_pk"])
        if conflict_pk is None:
            raise Http404
        return get_object_or_404(Conflict.objects.select_related("location", "added_by"), pk=conflict_pk,
                                 shopper=shopper)

    def confirm(self, request, shopper, conflict, form, status=200):
        return render(request, "pool/ratings/conflict_remove.html",
                      {"shopper": shopper, "conflict": conflict, "form": form}, status=status)

    def get(self, request, pk, conflict_pk):
        shopper = self.get_shopper()
        conflict = self.get_conflict(shopper)
        return self.confirm(request, shopper, conflict, ConflictRemoveForm(action=request.path))

    def post(self, request, pk, conflict_pk):
        shopper = self.get_shopper()
        conflict = self.get_conflict(shopper)
        form = ConflictRemoveForm(request.POST, action=request.path)
        if not form.is_valid():
            return self.confirm(request, shopper, conflict, form, status=400)
        name = str(conflict.location)
        service.remove_conflict(conflict, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(location)s is off %(shopper)s's conflict list.") % {
            "location": name, "shopper": shopper})
        return redirect("pool:shopper", shopper.pk)


class MyRatingView(LoginRequiredMixin, View):
    def get(self, request):
        shopper = access.shopper_of(request.user)
        if shopper is None:
            raise PermissionDenied
        return render(request, "pool/ratings/my_rating.html", {
            "shopper": shopper, "rating": ratings.of(shopper), "rules": ratings.rules_in_words(),
            "visits": service.reviewed_visits(shopper), "barred": service.is_barred(shopper),
            "report_link": "shopper-report",
        })
