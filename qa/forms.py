from django import forms

from qa.models import User


class TimeZoneForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["time_zone"]


def add_service_errors(form, exc):
    """Put a service's ValidationError on the form: next to its field where the form has
    that field, at the top otherwise. Keeps every message the service gave."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
