"""Forms of the QA lead's pages: an item's automatic check, and the phrase alerts."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy as _lazy

from autoqa.evaluation import NA
from autoqa.models import ItemRule, PhraseList
from autoqa.rules import alternatives
from scorecards import words
from scorecards.models import TEXT_CHANNELS

MAX_PHRASES = 200
MAX_PHRASE_LENGTH = 200


def clean_phrases(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_PHRASES:
        raise forms.ValidationError(_("At most %(n)s lines of phrases.") % {"n": MAX_PHRASES})
    if any(len(line) > MAX_PHRASE_LENGTH for line in lines):
        raise forms.ValidationError(_("A line of phrases is at most %(n)s characters long.") % {"n": MAX_PHRASE_LENGTH})
    # Read as the checks read it (autoqa.rules.alternatives): a line of only "|" and spaces would listen for nothing.
    empty = [str(n) for n, line in enumerate(lines, 1) if not alternatives(line)]
    if empty:
        named = empty[0] if len(empty) == 1 else _("%(first)s and %(last)s") % {
            "first": ", ".join(empty[:-1]), "last": empty[-1]}
        raise forms.ValidationError(ngettext(
            "Line %(lines)s has no phrase, only “|”: write the words to listen for, with “|” between alternatives, "
            "or remove the line.",
            "Lines %(lines)s have no phrase, only “|”: write the words to listen for, with “|” between alternatives, "
            "or remove those lines.", len(empty)) % {"lines": named})
    return "\n".join(lines)


# Which settings each kind of check reads (autoqa.rules); the editor shows only those (static/js/rule-form.js)
# while this form still validates everything it is sent.
FIELDS_BY_KIND = {
    "phrases": (ItemRule.Check.FIND, ItemRule.Check.AVOID),
    "require_all": (ItemRule.Check.FIND,),
    "min_similarity": (ItemRule.Check.FIND, ItemRule.Check.AVOID),
    "speaker": (ItemRule.Check.FIND, ItemRule.Check.AVOID, ItemRule.Check.INTERRUPTIONS),
    "window": (ItemRule.Check.FIND, ItemRule.Check.AVOID),
    "window_seconds": (ItemRule.Check.FIND, ItemRule.Check.AVOID),
    "limit_seconds": (ItemRule.Check.SILENCE,),
    "ratio_min": (ItemRule.Check.TALK_RATIO,),
    "ratio_max": (ItemRule.Check.TALK_RATIO,),
    "max_interruptions": (ItemRule.Check.INTERRUPTIONS,),
}


# The checks a text (email, chat) can have: the others need a call's times.
TEXT_KINDS = (ItemRule.Check.FIND, ItemRule.Check.AVOID)


class ItemRuleForm(forms.ModelForm):
    pass_value = forms.ChoiceField(label=_lazy("Answer when the check passes"))
    fail_value = forms.ChoiceField(label=_lazy("Answer when it fails"), required=False)

    class Meta:
        model = ItemRule
        fields = ["kind", "phrases", "require_all", "min_similarity", "speaker", "window", "window_seconds",
                  "limit_seconds", "ratio_min", "ratio_max", "max_interruptions", "pass_value", "fail_value",
                  "active"]
        widgets = {"phrases": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.for_text = item.section.version.scorecard.channel in TEXT_CHANNELS
        options = words.answer_options(item.answer_type)
        self.fields["pass_value"].choices = options
        fail = list(options)
        if item.na_allowed:
            fail.append((NA, str(words.NOT_APPLICABLE)))
        fail.append(("", _("Leave it for the reviewer")))
        self.fields["fail_value"].choices = fail
        self.fields["kind"].help_text = _(
            "Phrases are matched fuzzily, so small recognition errors still count. Silence, talk share and "
            "interruptions need a call's times; interruptions need a stereo recording.")
        self.fields["window_seconds"].help_text = _("For a call: how many seconds from the start or the end. "
                                                    "A text is checked in its first or last two messages.")
        if self.for_text:
            # A text has no seconds: its window is its first or last messages, and the time checks need a call.
            del self.fields["window_seconds"]
            self.fields["window"].help_text = _("A text is checked in its first or last two messages.")
            kind = self.fields["kind"]
            kind.choices = [(value, label) for value, label in kind.choices if value in TEXT_KINDS]
            kind.error_messages["invalid_choice"] = _(
                "Silence, talk share and interruptions need a call's times: an email or chat scorecard's check "
                "looks for phrases that should be said, or never said.")
            kind.help_text = _("Phrases are matched fuzzily, so small typing errors still count.")
        for name, kinds in FIELDS_BY_KIND.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)
        if "window_seconds" in self.fields:
            self.fields["window_seconds"].widget.attrs["data-with-window"] = "1"

    def clean_phrases(self):
        return clean_phrases(self.cleaned_data.get("phrases"))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (ItemRule.Check.FIND, ItemRule.Check.AVOID) and not data.get("phrases") and "phrases" not in self.errors:
            self.add_error("phrases", _("Give at least one phrase to look for."))
        if kind == ItemRule.Check.SILENCE and not data.get("limit_seconds"):
            self.add_error("limit_seconds", _("Give the longest silence allowed, in seconds."))
        if kind == ItemRule.Check.TALK_RATIO:
            low, high = data.get("ratio_min"), data.get("ratio_max")
            if low is None and high is None:
                self.add_error("ratio_min", _("Give the agent's smallest or largest share, or both."))
            elif low is not None and high is not None and low > high:
                self.add_error("ratio_max", _("The largest share cannot be below the smallest."))
        if kind == ItemRule.Check.INTERRUPTIONS and data.get("max_interruptions") is None:
            data["max_interruptions"] = 0
        if data.get("window") and data.get("window_seconds") is None and not self.for_text:
            # A text is checked in its first or last messages: only a call's window needs seconds.
            self.add_error("window_seconds", _("Say how many seconds from the start or the end, e.g. 15."))
        if data.get("pass_value") and data.get("pass_value") == data.get("fail_value"):
            self.add_error("fail_value", _("A failed check must give another answer than a passed one."))
        return data


class PhraseListForm(forms.ModelForm):
    class Meta:
        model = PhraseList
        fields = ["name", "phrases", "speaker", "min_similarity", "active"]
        widgets = {"phrases": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phrases"].required = False  # clean_phrases says what to do instead of "required"
        # Written as a check's phrases are, and read by the same code (autoqa.rules.phrases_of).
        self.fields["phrases"].help_text = _lazy(
            "One phrase per line; alternatives on one line separated by |, e.g. “cancel my account | close my account”.")

    def clean_phrases(self):
        phrases = clean_phrases(self.cleaned_data.get("phrases"))
        if not phrases:
            raise forms.ValidationError(_("Give at least one phrase, one per line."))
        return phrases
