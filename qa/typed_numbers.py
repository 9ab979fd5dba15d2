"""Numbers that people type into forms, read as they meant them: every app's forms mix this in, so the rule is
written once."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AsciiNumbers:
    """Numbers typed in ASCII digits only: Python reads "٨٠" as 80, which nobody meant to type. And each problem
    said once: a field checked by several validators (the form field's, the model's, the database's) may refuse a
    value twice in the same words."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            if not isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
                continue
            raw = self.data.get(self.add_prefix(name), "")
            if isinstance(raw, str) and not raw.isascii():
                # The one problem with such a number ("٣٠٠" is also out of range, as Python reads it).
                self._errors[name] = self.error_class([field.error_messages.get(
                    "digits", _("Type the number with the digits 0 to 9."))])
                self.cleaned_data.pop(name, None)
                # A number input shows "٣" as empty: a text input shows what was typed, to be corrected.
                widget = field.widget
                if getattr(widget, "input_type", None) == "number":
                    widget.input_type = "text"
                    widget.attrs.setdefault("inputmode", "decimal")
            elif name in self._errors:
                self._errors[name] = self.error_class(list(dict.fromkeys(self._errors[name])))
