"""The sign-in form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with its username length enforced.

    Django sets the field's max_length after the field is made, so no length validator is added
    and any length reaches authenticate(); a failed sign-in is then recorded by django-axes in a
    255-character column, which PostgreSQL refuses with a 500. No account has a longer name.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
