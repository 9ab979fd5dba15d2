"""The plans' forms: a plan, a corrective action, marking an action done, a trigger, and the list's filters."""

from datetime import timedelta

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan, CorrectiveAction, RootCause, TriggerRule
from plans.scoping import may_open_plans
from qa import roles, scoping
from qa.filters import forget_built_fields
from qa.models import User
from qa.typed_numbers import AsciiNumbers
from reports.models import PolicyTarget
from shops.models import Region


# People who can be accountable for a plan: not shoppers, and employees only for their own actions.
ACCOUNTABLE = [roles.ADMINISTRATOR, roles.QA_LEAD, roles.QA_REVIEWER, roles.MANAGER]
MAX_DAYS_AHEAD = 366


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def accountable_people(also=None):
    """Active people who may own a plan or an action, plus `also` (a plan's employee's login) when given."""
    reach = Q(groups__name__in=ACCOUNTABLE) | Q(is_superuser=True)
    if also:
        reach |= Q(pk=also)
    return User.objects.filter(pk__in=User.objects.filter(is_active=True).filter(reach).values("pk")).order_by(
        "first_name", "last_name", "username")


# What the analysis and an action are written in: a few paragraphs, a few sentences.
ROOT_CAUSE_MAX = 4000
ACTION_MAX = 1000


def within(text, limit):
    if len(text) > limit:
        raise forms.ValidationError(_("Keep it to %(limit)s characters (this has %(n)s): say the essentials; "
                                      "details belong in the linked evaluations.") % {"limit": limit, "n": len(text)})
    return text


class PlanForm(AsciiNumbers, forms.ModelForm):
    owner = PersonChoice(queryset=User.objects.none(), label=_("Plan owner"),
                         help_text=_("Accountable for the plan; escalations go to their manager."))
    target = forms.ModelChoiceField(queryset=PolicyTarget.objects.all(), required=False, label=_("Policy target missed"))

    class Meta:
        model = ActionPlan
        fields = ["title", "location", "employee", "owner", "target", "observed", "root_cause", "root_cause_text",
                  "follow_up_kind", "follow_up_count", "follow_up_target"]
        widgets = {"root_cause_text": forms.Textarea(attrs={"rows": 3, "maxlength": ROOT_CAUSE_MAX})}
        help_texts = {"location": _("The location the plan is about; leave empty for a plan about one employee "
                                    "only."),
                      "root_cause_text": _("Why it failed, in a few sentences: what the analysis found.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        locations, employees = scoping.locations_for(user), scoping.employees_for(user)
        self.fields["location"].queryset = locations.select_related("region")
        self.fields["employee"].queryset = employees.select_related("location")
        self.fields["owner"].queryset = accountable_people()
        # One assignment: the field hands back a copy of its choices, so an insert() into it was lost and the
        # browser showed (and saved) "Training" for a plan nobody had analysed.
        self.fields["root_cause"].choices = [("", _("Not analysed yet"))] + [c for c in RootCause.choices if c[0]]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save plan")))

    def clean_root_cause_text(self):
        return within(self.cleaned_data["root_cause_text"], ROOT_CAUSE_MAX)

    def clean(self):
        cleaned = super().clean()
        location, employee = cleaned.get("location"), cleaned.get("employee")
        if not location and not employee and not self.errors.get("location") and not self.errors.get("employee"):
            raise forms.ValidationError(_("Choose the location or the employee the plan is about."))
        if location and employee and employee.location_id != location.pk:
            self.add_error("employee", _("This employee does not work at the location chosen."))
        if (cleaned.get("follow_up_kind") == ActionPlan.FollowUpKind.REREVIEW and not employee
                and "follow_up_kind" not in self.errors):
            self.add_error("follow_up_kind", _("Re-reviews look at one employee's interactions: choose the employee, "
                                               "or verify with re-shops of the location."))
        return cleaned


class ActionForm(forms.ModelForm):
    owner = PersonChoice(queryset=User.objects.none(), label=_("Owner"))

    class Meta:
        model = CorrectiveAction
        fields = ["text", "owner", "due_date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "maxlength": ACTION_MAX}), "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"text": _("Corrective action")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = accountable_people(also=plan.employee.user_id if plan.employee_id else None)
        self.fields["owner"].initial = plan.owner_id
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=14)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.form_action = reverse("plans:action-add", args=[plan.pk])
        self.helper.add_input(Submit("submit", _("Add action")))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if due < today:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        if due > today + timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("Choose a due date within a year."))
        return due

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Say what will be done."))
        return within(text, ACTION_MAX)


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class TriggerForm(AsciiNumbers, forms.ModelForm):
    class Meta:
        model = TriggerRule
        exclude = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save trigger")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == TriggerRule.Kind.ITEM_RATE and cleaned.get("window") and cleaned.get("min_sample"):
            if cleaned["min_sample"] > cleaned["window"]:
                self.add_error("min_sample", _("The minimum sample cannot exceed the number of evaluations looked at."))
        return cleaned


def overdue_filter(queryset, name, value):
    if value is None:
        return queryset
    overdue = ActionPlan.objects.overdue().values("pk")
    return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


UNRESOLVED = "unresolved"


class PlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(UNRESOLVED, _("Not closed"))] + list(ActionPlan.Status.choices),
        method="filter_status", empty_label=_("Any status"))
    overdue = django_filters.BooleanFilter(label=_("Overdue actions"), method=overdue_filter, widget=forms.Select(
        choices=[("", _("Either")), ("true", _("Overdue")), ("false", _("None overdue"))]))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.none(), label=_("Region"), method="filter_region",
                                           empty_label=_("Any region"))
    location = django_filters.ModelChoiceFilter(queryset=None, label=_("Location"), method="filter_location",
                                             empty_label=_("Any location"))
    employee = django_filters.ModelChoiceFilter(queryset=None, label=_("Employee"), empty_label=_("Anyone"))
    root_cause = django_filters.ChoiceFilter(choices=[c for c in RootCause.choices if c[0]], label=_("Root cause"),
                                             empty_label=_("Any cause"))
    origin = django_filters.ChoiceFilter(choices=ActionPlan.Origin.choices, label=_("Reason"),
                                         empty_label=_("Any reason"))

    class Meta:
        model = ActionPlan
        fields = ["status", "overdue", "region", "location", "employee", "root_cause", "origin"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        locations = scoping.locations_for(user)
        forget_built_fields(self)
        self.filters["location"].queryset = locations
        self.filters["employee"].queryset = scoping.employees_for(user)
        self.filters["region"].queryset = Region.objects.filter(pk__in=locations.values("region"))
        if not may_open_plans(user):
            # An employee sees the plans about them or with an action for them: no places or people to choose from.
            for name in ("region", "location", "employee"):
                del self.filters[name]

    def filter_status(self, queryset, name, value):
        if value == UNRESOLVED:
            return queryset.unresolved()
        return queryset.filter(status=value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(location__region=value) | Q(employee__location__region=value))

    def filter_location(self, queryset, name, value):
        return queryset.filter(Q(location=value) | Q(employee__location=value))
