"""Forms of the scorecard builder. Weight and threshold mistakes are explained in
the words of the person building the scorecard, next to the field at fault."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecards.models import MAX_SECTIONS, AnswerType, Item, Scorecard, Section

THRESHOLD_ROWS = 4


def json_number(value):
    """Decimals as JSON numbers: whole numbers stay whole, so 3 is stored as 3, not 3.0."""
    return int(value) if value == value.to_integral_value() else float(value)


def submit_helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-primary"))
    return helper


class ScorecardForm(forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = ["name", "channel", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save scorecard"))


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["name", "weight", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version or self.instance.version
        self.helper = submit_helper(_("Save section"))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and Section.objects.filter(version=self.version).count() >= MAX_SECTIONS:
            raise forms.ValidationError(
                _("A scorecard version has at most %(max)s sections. Add these items to a section it already "
                  "has, or merge two sections first.") % {"max": MAX_SECTIONS})
        return cleaned

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Section.objects.filter(version=self.version, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This version already has a section called “%(name)s”.") % {"name": name})
        return name


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "question", "guidance", "policy_reference", "answer_type", "weight", "na_allowed", "critical",
            "number_unit", "number_direction", "kpi", "auto_answer",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands = list(self.instance.thresholds or []) if self.instance.pk else []
        threshold_rows = []
        for row in range(1, THRESHOLD_ROWS + 1):
            band = bands[row - 1] if row <= len(bands) else {}
            self.fields[f"limit_{row}"] = forms.DecimalField(
                label=_("Limit %(n)s") % {"n": row}, required=False, initial=band.get("limit"),
            )
            self.fields[f"score_{row}"] = forms.DecimalField(
                label=_("Score %(n)s (0-100)") % {"n": row}, required=False, initial=band.get("score"),
                min_value=0, max_value=100,
            )
            threshold_rows.append(Div(
                Div(f"limit_{row}", css_class="col-6"), Div(f"score_{row}", css_class="col-6"), css_class="row",
            ))
        self.helper = submit_helper(_("Save item"))
        self.helper.layout = Layout(
            "question", "guidance", "policy_reference", "answer_type", "weight", "na_allowed", "critical", "kpi", "auto_answer",
            Fieldset(
                _("Number items only: how a number is scored"),
                "number_unit", "number_direction", *threshold_rows,
                css_class="border rounded p-2 mb-3",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        bands = []
        for row in range(1, THRESHOLD_ROWS + 1):
            limit, band_score = cleaned.get(f"limit_{row}"), cleaned.get(f"score_{row}")
            if limit is None and band_score is None:
                continue
            if limit is None or band_score is None:
                self.add_error(f"limit_{row}", _("Give both a limit and a score, or leave both empty."))
                continue
            bands.append({"limit": json_number(limit), "score": json_number(band_score)})
        # The model validates the whole definition (Item.clean -> scoring.validate_item_definition).
        self.instance.thresholds = bands if cleaned.get("answer_type") == AnswerType.NUMBER else []
        return cleaned

    def _update_errors(self, errors):
        # The model reports threshold mistakes on its JSON field, which this form edits as rows.
        if hasattr(errors, "error_dict") and "thresholds" in errors.error_dict:
            errors.error_dict.setdefault("limit_1", []).extend(errors.error_dict.pop("thresholds"))
        super()._update_errors(errors)


class BlankJSONField(forms.JSONField):
    """A JSON field left empty means the model field's default ([] or {}), which is what the
    field holds when nothing was typed; plain forms.JSONField turns it into NULL, which a
    blank=True, null=False column refuses with a database error."""

    def to_python(self, value):
        if value in self.empty_values:
            return self.initial() if callable(self.initial) else self.initial
        return super().to_python(value)


class BlankJSONAdminMixin:
    """For model admins with JSON fields that may be left empty (used by every app's admin)."""

    formfield_overrides = {models.JSONField: {"form_class": BlankJSONField}}


class CountedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset that checks the posted count of existing rows against what exists.

    A negative or huge INITIAL_FORMS (a tampered or stale page) made Django look for rows that
    are not there, or save existing rows as new ones: a 500 either way. The count is kept within
    what exists while the forms are built, and a page that disagrees is refused with a message.
    """

    def initial_form_count(self):
        count = super().initial_form_count()
        if self.is_bound:
            return max(0, min(count, len(self.get_queryset())))
        return count

    def clean(self):
        super().clean()
        posted = self.management_form.cleaned_data.get("INITIAL_FORMS")
        if self.is_bound and posted != len(self.get_queryset()):
            raise forms.ValidationError(_("This page is out of date: reload it and make your changes again."),
                                        code="stale")
