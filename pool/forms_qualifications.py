"""Forms of the qualifications pages: a qualification with its quiz settings, the quiz's questions (one form per
question with up to six answers, in a formset), taking a quiz, sending a document, an administrator's check."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pool import qualifications as service
from pool.forms_board import in_range
from pool.models import Qualification, Question, Quiz
from qa.typed_numbers import AsciiNumbers


class QualificationForm(AsciiNumbers, forms.ModelForm):
    """The qualification and, for a quiz, its settings (the Quiz fields, prefixed in the page)."""

    instructions = forms.CharField(label=gettext_lazy("Instructions for the shopper"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    pass_percent = in_range(forms.IntegerField(label=gettext_lazy("Pass mark (%)"), initial=80), 1, 100,
                            gettext_lazy("The pass mark must be a percentage, a whole number between 1 and 100."))
    max_attempts = in_range(forms.IntegerField(label=gettext_lazy("Attempts allowed"), initial=3,
                                               help_text=gettext_lazy("Counted since the shopper last passed.")),
                            1, 20, gettext_lazy("Attempts allowed must be a whole number between 1 and 20."))
    cooling_off_days = in_range(forms.IntegerField(label=gettext_lazy("Days to wait after a failed attempt"),
                                                   initial=7),
                                0, 365, gettext_lazy("Days to wait must be a whole number between 0 and 365."))
    QUIZ_FIELDS = ("instructions", "pass_percent", "max_attempts", "cooling_off_days")

    class Meta:
        model = Qualification
        fields = ["name", "kind", "description", "valid_months", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quiz = getattr(self.instance, "quiz", None) if self.instance.pk else None
        if quiz is not None:
            for name in self.QUIZ_FIELDS:
                self.initial.setdefault(name, getattr(quiz, name))
        self.fields["description"].help_text = _("What the shopper needs to know or send, shown on their page.")
        in_range(self.fields["valid_months"], 1, 120, _("The validity must be a whole number of months between 1 "
                                                        "and 120, or empty if it never expires."))
        kind = self.data.get("kind") if self.is_bound else (self.instance.kind or None)
        if kind != Qualification.Kind.QUIZ and self.is_bound:
            for name in self.QUIZ_FIELDS:
                self.fields[name].required = False
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        # The instance still has its saved kind here: a model form copies the input into it after cleaning.
        if (self.instance.pk and self.instance.kind == Qualification.Kind.QUIZ and kind != Qualification.Kind.QUIZ
                and Question.objects.filter(quiz__qualification_id=self.instance.pk).exists()):
            raise forms.ValidationError(_("This quiz has questions, so it stays a quiz. To ask for a document "
                                          "instead, add a new document qualification."))
        if (self.instance.pk and self.instance.kind != Qualification.Kind.QUIZ and kind == Qualification.Kind.QUIZ
                and not Question.objects.filter(quiz__qualification_id=self.instance.pk).exists()):
            # A quiz without questions cannot be passed, so it cannot be required (ProgrammeForm refuses it too):
            # turned into one while programmes require it, their visits would go to nobody until questions exist.
            names = service.requiring_programmes(self.instance)
            if names:
                raise forms.ValidationError(ngettext(
                    "The programme %(names)s requires this document. As a quiz it would have no questions yet, so "
                    "no shopper could pass it and nobody could take that programme's visits. Take it out of the "
                    "programme first, or add a new quiz qualification.",
                    "The programmes %(names)s require this document. As a quiz it would have no questions yet, so "
                    "no shopper could pass it and nobody could take those programmes' visits. Take it out of the "
                    "programmes first, or add a new quiz qualification.", len(names)) % {
                        "names": ", ".join(names)})
        return kind

    def quiz_fields(self) -> dict:
        defaults = {"instructions": "", "pass_percent": 80, "max_attempts": 3, "cooling_off_days": 7}
        return {name: defaults[name] if self.cleaned_data.get(name) is None else self.cleaned_data[name]
                for name in self.QUIZ_FIELDS}


class QuestionForm(forms.Form):
    """A question and up to six answers, each with a "right" box."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=gettext_lazy("Question"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, service.MAX_ANSWERS + 1):
            self.fields[f"answer_{n}"] = forms.CharField(label=_("Answer %(n)s") % {"n": n}, required=False,
                                                         max_length=300)
            self.fields[f"right_{n}"] = forms.BooleanField(label=_("Right"), required=False)

    def answer_rows(self):
        return [(self[f"answer_{n}"], self[f"right_{n}"]) for n in range(1, service.MAX_ANSWERS + 1)]

    def clean(self):
        data = super().clean()
        answers = [((data.get(f"answer_{n}") or "").strip(), bool(data.get(f"right_{n}")))
                   for n in range(1, service.MAX_ANSWERS + 1)]
        for n, (text, right) in enumerate(answers, 1):
            if right and not text:
                self.add_error(f"answer_{n}", _("An answer marked right needs its text."))
        answers = [(text, right) for text, right in answers if text]
        data["answers"] = answers
        text = (data.get("text") or "").strip()
        data["text"] = text
        if self.cleaned_data.get("DELETE") or (not text and not answers):
            return data
        if not text:
            self.add_error("text", _("Write the question, or empty its answers to leave the row out."))
        if len(answers) < service.MIN_ANSWERS:
            self.add_error("answer_2" if answers else "answer_1",
                           _("Give at least %(n)s answers.") % {"n": service.MIN_ANSWERS})
        elif not any(right for _text, right in answers):
            self.add_error("right_1", _("Tick at least one right answer."))
        return data

    @property
    def is_blank(self):
        return not self.cleaned_data.get("text") and not self.cleaned_data.get("answers")


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(not form.is_blank and not form.cleaned_data.get("DELETE") for form in self.forms):
            raise forms.ValidationError(_("Write at least one question."))


QuestionFormSet = forms.formset_factory(QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True,
                                        max_num=100, validate_max=True, absolute_max=200)


def question_initial(quiz) -> list[dict]:
    rows = []
    for question in service.questions_of(quiz):
        row = {"id": question.pk, "text": question.text}
        for n, choice in enumerate(question.choices.all(), 1):
            row[f"answer_{n}"], row[f"right_{n}"] = choice.text, choice.correct
        rows.append(row)
    return rows


class TakeQuizForm(forms.Form):
    """One field per question: radio buttons, or check boxes when several answers are right."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, 1):
            choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
            label = _("%(n)s. %(question)s") % {"n": number, "question": question.text}
            if service.multiple(question):
                field = forms.MultipleChoiceField(label=label, choices=choices, widget=forms.CheckboxSelectMultiple,
                                                  help_text=_("Tick every right answer."),
                                                  error_messages={"required": _("Tick at least one answer.")})
            else:
                field = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                                          error_messages={"required": _("Choose an answer.")})
            field.summary_label = _("Question %(n)s") % {"n": number}  # the error summary's name for it
            self.fields[f"q{question.pk}"] = field
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's summary at the top says what is missing
        self.helper.add_input(Submit("send", _("Send my answers"), css_class="w-100"))

    def answers(self) -> dict:
        result = {}
        for question in self.questions:
            value = self.cleaned_data[f"q{question.pk}"]
            result[question.pk] = [int(v) for v in (value if isinstance(value, list) else [value])]
        return result


class DocumentForm(forms.Form):
    document = forms.FileField(label=gettext_lazy("Your document"),
                               help_text=gettext_lazy("A PDF, or a clear photo (JPEG or PNG)."),
                               widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("send", _("Send the document"), css_class="w-100"))


class ApproveForm(forms.Form):
    expires_on = forms.DateField(label=gettext_lazy("Valid until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=gettext_lazy("Leave empty if it never expires."))

    def __init__(self, *args, qualification, **kwargs):
        super().__init__(*args, **kwargs)
        self.qualification = qualification
        today = timezone.localdate()
        self.fields["expires_on"].widget.attrs.update({
            "min": (today + datetime.timedelta(days=1)).isoformat(),
            "max": service.latest_expiry(qualification, today).isoformat()})
        if qualification.valid_months:
            self.fields["expires_on"].required = True
            self.fields["expires_on"].error_messages["required"] = service.expiry_error(qualification, None, today)
            self.fields["expires_on"].help_text = _(
                "The date on the document, if it is sooner; at most %(n)s months from today, as %(name)s is "
                "valid.") % {"n": qualification.valid_months, "name": qualification.name}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        error = service.expiry_error(self.qualification, value)
        if error:
            raise forms.ValidationError(error)
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is not accepted"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("The shopper reads this: say what to send instead."),
                             error_messages={"required": gettext_lazy("Say why the document is not accepted.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
