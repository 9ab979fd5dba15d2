"""Form fields for a scorecard's items, shared by the shopper's visit report and the
reviewer's scoring screen: one field per item, N/A where allowed, a comment where scored."""

from crispy_forms.layout import Div, Field
from django import forms
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from qa import services
from scorecards import words
from scorecards.models import AnswerType

# Each choice item's answers in words, from the one place that has them.
CHOICES = {answer_type: words.answer_options(answer_type) for answer_type in words.ANSWER_CHOICES}


def guidance_text(item, policy: bool = True) -> str:
    parts = [escape(item.guidance)] if item.guidance else []
    if policy and item.policy_reference:
        parts.append(format_html('<span class="d-block">{}: {}</span>', _("Policy"), item.policy_reference))
    return "".join(str(p) for p in parts)


class AnswerFieldsMixin:
    """Needs `self.spec` (the version's ScorecardSpec) before `answers()` is called."""

    # Policy references are for reviewers and scorers; a shopper's form hides them.
    show_policy = True

    def _add_item_fields(self, item, extra=()):
        name, help_text = f"item_{item.pk}", guidance_text(item, policy=self.show_policy)
        label = format_html("{}{}", item.question,
                            format_html(' <span class="badge text-bg-warning">{}</span>', _("Critical")) if item.critical else "")
        if item.answer_type in CHOICES:
            self.fields[name] = forms.ChoiceField(label=label, choices=CHOICES[item.answer_type], required=False,
                                                  widget=forms.RadioSelect,
                                                  help_text=help_text)
        elif item.answer_type == AnswerType.NUMBER:
            # "Minutes you waited (minutes)" says it twice: the unit only when the question does not name it.
            named = item.number_unit and item.number_unit.lower() in item.question.lower()
            unit = f" ({item.number_unit})" if item.number_unit and not named else ""
            self.fields[name] = forms.DecimalField(label=format_html("{}{}", label, unit), required=False,
                                                   help_text=help_text,
                                                   widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
        else:
            self.fields[name] = forms.CharField(label=label, required=False, help_text=help_text,
                                                widget=forms.Textarea(attrs={"rows": 2}))
        parts = [Field(name)]
        if item.na_allowed:
            self.fields[f"na_{item.pk}"] = forms.BooleanField(label=_("Not applicable"), required=False)
            parts.append(f"na_{item.pk}")
        if item.is_scored:
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 1}),
            )
            parts.append(f"comment_{item.pk}")
        parts.extend(extra)
        return Div(*parts, css_class="item-card card card-body", data_item=item.pk)

    @staticmethod
    def answer_initial(answers) -> dict:
        """The stored answers as this form's initial values."""
        initial = {}
        for answer in answers:
            initial[f"item_{answer.item_id}"] = answer.value
            initial[f"na_{answer.item_id}"] = answer.na
            initial[f"comment_{answer.item_id}"] = answer.comment
        return initial

    def answers(self) -> dict[int, services.AnswerData]:
        data = self.cleaned_data
        answers = {}
        for item in self.spec.items():
            value = data.get(f"item_{item.id}")
            na = bool(data.get(f"na_{item.id}"))
            answers[item.id] = services.AnswerData(
                value="" if na or value is None else str(value).strip(), na=na,
                comment=(data.get(f"comment_{item.id}") or "").strip(),
            )
        return answers

