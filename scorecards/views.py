"""The scorecard builder: administrators create scorecards, arrange weighted
sections and items, preview them as a scorer sees them on a phone, publish,
start new versions and retire old ones. QA staff may read scorecards.

Views stay thin: the rules live in scorecards.services and the models.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from scorecards import permissions, services
from scorecards.forms import ItemForm, ScorecardForm, SectionForm
from scorecards.models import Item, Scorecard, ScorecardVersion, Section



class ScorecardListView(PermissionRequiredMixin, ListView):
    permission_required = permissions.VIEW_SCORECARD
    template_name = "scorecards/scorecard_list.html"
    context_object_name = "scorecards"
    paginate_by = 25

    def get_queryset(self):
        return Scorecard.objects.annotate(
            version_count=Count("versions"),
        ).order_by("name").prefetch_related(
            Prefetch(
                "versions",
                queryset=ScorecardVersion.objects.exclude(status=ScorecardVersion.Status.RETIRED),
                to_attr="open_versions",
            )
        )


class ScorecardCreateView(PermissionRequiredMixin, CreateView):
    permission_required = permissions.CHANGE_SCORECARD
    form_class = ScorecardForm
    template_name = "scorecards/scorecard_form.html"

    def form_valid(self, form):
        scorecard = services.create_scorecard(**form.cleaned_data)
        messages.success(self.request, _("Scorecard created. Add its first section below."))
        return redirect(scorecard.draft_version.get_absolute_url())


class ScorecardUpdateView(PermissionRequiredMixin, UpdateView):
    permission_required = permissions.CHANGE_SCORECARD
    model = Scorecard
    form_class = ScorecardForm
    template_name = "scorecards/scorecard_form.html"

    def form_valid(self, form):
        messages.success(self.request, _("Scorecard details saved."))
        return super().form_valid(form)


class ScorecardDetailView(PermissionRequiredMixin, DetailView):
    permission_required = permissions.VIEW_SCORECARD
    model = Scorecard
    template_name = "scorecards/scorecard_detail.html"
    context_object_name = "scorecard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = self.object.versions.select_related("published_by").annotate(
            section_count=Count("sections", distinct=True),
            item_count=Count("sections__items", distinct=True),
            evaluation_count=Count("evaluations", distinct=True),
        ).order_by("-number")
        context["has_draft"] = any(v.status == ScorecardVersion.Status.DRAFT for v in context["versions"])
        return context


class PostOnlyView(PermissionRequiredMixin, View):
    http_method_names = ["post"]


class NewVersionView(PostOnlyView):
    permission_required = permissions.CHANGE_SCORECARD

    def post(self, request, pk):
        scorecard = get_object_or_404(Scorecard, pk=pk)
        had_draft = scorecard.versions.filter(status=ScorecardVersion.Status.DRAFT).exists()
        draft = services.start_new_version(scorecard)
        if had_draft:
            messages.info(request, _("This scorecard already has a draft (v%(n)s): carry on editing it.") % {"n": draft.number})
        else:
            messages.success(
                request,
                _("Draft v%(n)s started as a copy of the latest version. Scores already given keep their meaning.")
                % {"n": draft.number},
            )
        return redirect(draft.get_absolute_url())


def version_with_structure(pk):
    version = get_object_or_404(ScorecardVersion.objects.select_related("scorecard", "published_by"), pk=pk)
    return version, services.load_structure(version)


class VersionDetailView(PermissionRequiredMixin, View):
    """A draft shows the editor to those who may build; every other version reads as it was published."""

    permission_required = permissions.VIEW_SCORECARD
    http_method_names = ["get"]

    def get(self, request, pk):
        version, sections = version_with_structure(pk)
        can_build = request.user.has_perm(permissions.CHANGE_SCORECARD)
        context = {
            "version": version,
            "scorecard": version.scorecard,
            "sections": sections,
            "editing": version.is_editable and can_build,
            "can_build": can_build,
            "can_publish": request.user.has_perm(permissions.PUBLISH_SCORECARDVERSION),
            "problems": services.publication_problems(version) if version.is_editable else [],
            "total_section_weight": sum(s.weight for s in sections),
        }
        return render(request, "scorecards/version_detail.html", context)


class VersionPreviewView(PermissionRequiredMixin, View):
    permission_required = permissions.VIEW_SCORECARD
    http_method_names = ["get"]

    def get(self, request, pk):
        version, sections = version_with_structure(pk)
        return render(request, "scorecards/version_preview.html", {"version": version, "sections": sections})


class PublishView(PostOnlyView):
    permission_required = permissions.PUBLISH_SCORECARDVERSION

    def post(self, request, pk):
        version = get_object_or_404(ScorecardVersion, pk=pk)
        if request.POST.get("confirm") != "1" and version.is_editable and not services.publication_problems(version):
            # Publishing freezes the version and retires the one in use: the administrator confirms first.
            current = version.scorecard.versions.filter(status=ScorecardVersion.Status.PUBLISHED).first()
            return render(request, "scorecards/publish_confirm.html", {
                "version": version, "scorecard": version.scorecard, "current": current})
        try:
            services.publish(version, request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(version.get_absolute_url())
        messages.success(
            request,
            _("v%(n)s is published and frozen. Earlier versions are retired; their scores are unchanged.")
            % {"n": version.number},
        )
        return redirect(version.scorecard.get_absolute_url())


class RetireView(PostOnlyView):
    permission_required = permissions.PUBLISH_SCORECARDVERSION

    def post(self, request, pk):
        version = get_object_or_404(ScorecardVersion, pk=pk)
        try:
            services.retire(version)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("v%(n)s is retired. It stays readable, and its scores stay.") % {"n": version.number})
        return redirect(version.scorecard.get_absolute_url())


class DraftOnlyMixin(PermissionRequiredMixin):
    """Builder views act on a draft only; on a frozen version they explain and go back."""

    permission_required = permissions.CHANGE_SCORECARD

    def get_version(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        version = self.get_version()
        if not version.is_editable:
            messages.error(request, _("This version is published and cannot be changed. Start a new version to edit it."))
            return redirect(version.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)


class SectionCreateView(DraftOnlyMixin, CreateView):
    form_class = SectionForm
    template_name = "scorecards/section_form.html"

    def get_version(self):
        self.version = get_object_or_404(ScorecardVersion, pk=self.kwargs["pk"])
        return self.version

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["version"] = self.version
        return kwargs

    def form_valid(self, form):
        form.instance.version = self.version
        form.instance.order = services.next_order(self.version.sections.all())
        form.save()
        messages.success(self.request, _("Section “%(name)s” added. Now add its items.") % {"name": form.instance.name})
        return redirect(self.version.get_absolute_url() + f"#section-{form.instance.pk}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, **kwargs)


class SectionObjectMixin(DraftOnlyMixin):
    model = Section

    def get_version(self):
        self.object = get_object_or_404(Section.objects.select_related("version__scorecard"), pk=self.kwargs["pk"])
        return self.object.version

    def get_object(self, queryset=None):
        return self.object

    def get_success_url(self):
        return self.object.version.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.object.version, **kwargs)


class SectionUpdateView(SectionObjectMixin, UpdateView):
    form_class = SectionForm
    template_name = "scorecards/section_form.html"

    def form_valid(self, form):
        messages.success(self.request, _("Section saved."))
        return super().form_valid(form)


class SectionDeleteView(SectionObjectMixin, DeleteView):
    template_name = "scorecards/confirm_delete.html"

    def form_valid(self, form):
        messages.success(self.request, _("Section “%(name)s” and its items deleted.") % {"name": self.object.name})
        return super().form_valid(form)


class MoveMixin:
    http_method_names = ["post"]

    def siblings(self):
        raise NotImplementedError

    def post(self, request, pk, direction):
        if direction not in ("up", "down"):
            raise Http404
        if not services.move(self.object, self.siblings(), direction):
            messages.info(request, _("Already at the %(end)s.") % {"end": _("top") if direction == "up" else _("bottom")})
        else:
            messages.success(request, _("Moved %(direction)s.") % {"direction": _("up") if direction == "up" else _("down")})
        return HttpResponseRedirect(self.get_version().get_absolute_url())


class SectionMoveView(SectionObjectMixin, MoveMixin, View):
    def siblings(self):
        return Section.objects.filter(version=self.object.version)


class ItemCreateView(DraftOnlyMixin, CreateView):
    form_class = ItemForm
    template_name = "scorecards/item_form.html"

    def get_version(self):
        self.section = get_object_or_404(Section.objects.select_related("version__scorecard"), pk=self.kwargs["pk"])
        return self.section.version

    def form_valid(self, form):
        form.instance.section = self.section
        form.instance.order = services.next_order(self.section.items.all())
        form.save()
        messages.success(self.request, _("Item added to “%(section)s”.") % {"section": self.section.name})
        return redirect(self.section.version.get_absolute_url() + f"#section-{self.section.pk}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.section.version, section=self.section, **kwargs)


class ItemObjectMixin(DraftOnlyMixin):
    model = Item

    def get_version(self):
        self.object = get_object_or_404(Item.objects.select_related("section__version__scorecard"), pk=self.kwargs["pk"])
        return self.object.section.version

    def get_object(self, queryset=None):
        return self.object

    def get_success_url(self):
        return self.object.section.version.get_absolute_url() + f"#section-{self.object.section_id}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.object.section.version, section=self.object.section, **kwargs)


class ItemUpdateView(ItemObjectMixin, UpdateView):
    form_class = ItemForm
    template_name = "scorecards/item_form.html"

    def form_valid(self, form):
        messages.success(self.request, _("Item saved."))
        return super().form_valid(form)


class ItemDeleteView(ItemObjectMixin, DeleteView):
    template_name = "scorecards/confirm_delete.html"

    def form_valid(self, form):
        messages.success(self.request, _("Item deleted."))
        return super().form_valid(form)


class ItemMoveView(ItemObjectMixin, MoveMixin, View):
    def siblings(self):
        return Item.objects.filter(section=self.object.section)
