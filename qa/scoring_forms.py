"""The reviewer's scoring form: the scorecard's items (shared with the visit report),
a reason wherever an answer computed from the interaction's times is overridden,
and the revision the page was loaded at."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from qa import scoring_sessions
from qa.answer_fields import AnswerFieldsMixin
from qa.models import Evaluation
from scorecards import words
from scorecards.services import load_structure, spec_for


class ScoreForm(AnswerFieldsMixin, forms.Form):
    comments = forms.CharField(label=_("Overall comments for the employee"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.sections = load_structure(evaluation.version)
        self.spec = spec_for(evaluation.version, self.sections)
        stored = list(evaluation.answers.all())
        self.auto = {a.item_id: a for a in stored if a.is_auto}
        self.suggestions = scoring_sessions.suggested_answers(evaluation)
        self.stored = {a.item_id: a for a in stored}
        self.has_recording = bool(evaluation.interaction_id and hasattr(evaluation.interaction, "recording"))
        layout = []
        for section in self.sections:
            blocks = [self._add_item_fields(item, extra=self._auto_parts(item) + self._suggestion_parts(item))
                      for item in section.items.all()]
            layout.append(Fieldset(section.name, *blocks, css_class="score-section"))
        layout += [Fieldset(_("Summary"), "comments"), "revision"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)
        if not self.is_bound:
            self.initial.update(self.initial_from(evaluation, stored))

    def _auto_parts(self, item):
        answer = self.auto.get(item.pk)
        if answer is None:
            return ()
        name = f"override_{item.pk}"
        self.fields[name] = forms.CharField(
            label=_("Why override the computed answer?"), required=False,
            widget=forms.Textarea(attrs={"rows": 1, "data-override-for": item.pk}),
        )
        note = format_html(
            '<div class="alert alert-info small py-1 px-2 mb-2 auto-note" data-auto-value="{}" data-auto-na="{}">'
            '<strong>{}</strong> {}</div>',
            answer.auto_value, "1" if answer.auto_na else "", _("From the interaction's times:"), answer.auto_note,
        )
        return (HTML(note), name)

    def _suggestion_parts(self, item):
        """The automatic answer for this item, marked, with the moments behind it (buttons that seek the
        player there on a call; quotes on a text). Whether the reviewer kept it is said from what is saved, and
        static/js/score.js says it again as the answer changes on the page."""
        suggestion = self.suggestions.get(item.pk)
        if suggestion is None:
            return ()
        word = words.answer_word(suggestion.get("value", ""), suggestion.get("na", False), item.answer_type)
        moments = []
        for moment in suggestion.get("evidence") or []:
            quote = moment.get("text") or moment.get("why") or ""
            if moment.get("s") is not None and self.has_recording:
                total = int(moment["s"])
                moments.append(format_html(
                    '<button type="button" class="btn btn-link btn-sm p-0 align-baseline evidence-moment" '
                    'data-seek="{}" title="{}">{}</button> {}', f"{float(moment['s']):.2f}", _("Play from here"),
                    f"{total // 60}:{total % 60:02d}", f"“{quote}”" if moment.get("text") else quote))
            else:
                moments.append(format_html("{}", f"“{quote}”" if moment.get("text") else quote))
        stored = self.stored.get(item.pk)
        state = ""
        if stored is not None and (stored.value or stored.na):
            kept = (stored.value, stored.na) == (suggestion.get("value", ""), bool(suggestion.get("na")))
            state = _("as suggested") if kept else _("you changed it")
        trusted = suggestion.get("trusted", True)
        html = format_html(
            '<div class="alert {} small py-1 px-2 mb-2 suggestion" data-suggested-value="{}" data-suggested-na="{}">'
            '<strong>{}</strong> {}{} <div class="text-body-secondary">{}</div>{}</div>',
            "alert-secondary" if trusted else "alert-warning", suggestion.get("value", ""),
            "1" if suggestion.get("na") else "",
            _("Suggested by the automatic checks:") if trusted else _("Automatic check (not trusted, not pre-filled):"),
            word, format_html(' <span class="badge text-bg-light border" data-suggestion-state{}>{}</span>',
                              "" if state else " hidden", state),
            suggestion.get("note", ""),
            format_html('<ul class="list-unstyled mb-0 evidence">{}</ul>',
                        format_html_join("", "<li>{}</li>", ((m,) for m in moments))) if moments else "")
        # crispy renders HTML() as a template: braces from a customer's email must stay text.
        return (HTML(mark_safe(str(html).replace("{", "&#123;").replace("}", "&#125;"))),)  # nosec B308 B703

    @classmethod
    def initial_from(cls, evaluation: Evaluation, stored) -> dict:
        initial = {"comments": evaluation.comments, "revision": evaluation.revision, **cls.answer_initial(stored)}
        for answer in stored:
            if answer.is_auto:
                initial[f"override_{answer.item_id}"] = answer.override_reason
        return initial

    def review_data(self) -> scoring_sessions.ReviewData:
        data = self.cleaned_data
        return scoring_sessions.ReviewData(
            answers=self.answers(),
            override_reasons={item_id: (data.get(f"override_{item_id}") or "") for item_id in self.auto},
            comments=(data.get("comments") or "").strip(),
        )


class StartScoringForm(forms.Form):
    version = forms.ModelChoiceField(queryset=None, label=_("Scorecard"), empty_label=None,
                                     widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, interaction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = scoring_sessions.candidate_versions(interaction)


class PinForm(forms.Form):
    at_seconds = forms.DecimalField(label=_("Moment (seconds)"), min_value=0, max_digits=8, decimal_places=2)
    item = forms.TypedChoiceField(label=_("About the item"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        items = [(item.pk, item.question) for section in load_structure(evaluation.version)
                 for item in section.items.all()]
        self.fields["item"].choices = [("", _("The whole call"))] + items
