"""What every endpoint shares: ids as plain ASCII digits, every check's errors gathered into one answer
(Problems: forms', look-ups' and services' errors as DRF validation errors), and the look-up of a place or
person by the code people know it by."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, viewsets
from rest_framework.exceptions import ErrorDetail

from qa.filters import FIRST_DAY, LAST_DAY

ID = r"[0-9]{1,18}"  # not int()'s idea of a digit (which takes "١٢" and "１２"), and within a bigint


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID


def service_error(exc: DjangoValidationError, field="non_field_errors") -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError({k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()})
    return exceptions.ValidationError({field: exc.messages})


class Problems:
    """Field errors gathered from every check of one request and raised together, so a client learns of
    every field at fault at once instead of one round at a time. The first message found for a field wins:
    a code that names nothing is not also reported as "required" by the form it was left out of."""

    def __init__(self):
        self.errors: dict[str, list] = {}

    def __contains__(self, field):
        return field in self.errors

    def __bool__(self):
        return bool(self.errors)

    def add(self, field: str, message) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def update(self, errors) -> None:
        """Merge {field: [messages]} (a serializer's or a form's errors, or a ValidationError) without overriding
        a field already at fault; the messages keep their codes ("required", "max_length", ...)."""
        if isinstance(errors, exceptions.ValidationError):
            errors = errors.detail if isinstance(errors.detail, dict) else {"non_field_errors": errors.detail}
        elif hasattr(errors, "as_data"):  # a Django form's ErrorDict
            errors = {name: [ErrorDetail(message, code=error.code or "invalid")
                             for error in found for message in error.messages]
                      for name, found in errors.as_data().items()}
        for name, messages in errors.items():
            name = "non_field_errors" if name == "__all__" else name
            if name not in self.errors:
                messages = messages if isinstance(messages, (list, tuple)) else [messages]
                self.errors[name] = [m if isinstance(m, ErrorDetail) else str(m) for m in messages]

    def raise_any(self) -> None:
        if self.errors:
            raise exceptions.ValidationError(self.errors)


def moment_errors(data, names) -> dict:
    """Moments too far away to mean anything (and to survive time zone arithmetic), or not moments at all."""
    from django.utils.dateparse import parse_datetime

    errors = {}
    for name in names:
        value = data.get(name)
        if not value or not isinstance(value, str):
            continue
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            errors[name] = [_("Enter a date and time such as 2026-11-30T14:05:00Z.")]
        elif not FIRST_DAY.year <= parsed.year <= LAST_DAY.year:
            errors[name] = [_("Enter a date between %(first)s and %(last)s.") % {
                "first": FIRST_DAY.year, "last": LAST_DAY.year}]
    return errors


NUMBER_FIELDS = (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)
DATE_FIELDS = (serializers.DateField, serializers.DateTimeField)


def other_digits(value) -> bool:
    """Whether `value` holds a digit that is not 0-9: another script's ("٣", "３") or a superscript ("²"),
    which int(), Decimal() and the date parsers would read, or half read, as numbers."""
    return isinstance(value, str) and any(ch.isdigit() and not ch.isascii() for ch in value)


def digit_errors(input_class, data) -> dict:
    """The number and date fields of `input_class` (a serializer describing the body) sent with digits other
    than 0-9: refused everywhere in the API with the same words, as ids are (qa.http.parse_id), instead of
    being taken by some fields and refused by others."""
    errors = {}
    if not hasattr(data, "get"):
        return errors
    for name, field in input_class().fields.items():
        if isinstance(field, NUMBER_FIELDS + DATE_FIELDS) and other_digits(data.get(name)):
            if isinstance(field, serializers.DateTimeField):
                message = _("Write the date and time with the digits 0-9, such as 2026-11-30T14:05:00Z.")
            elif isinstance(field, serializers.DateField):
                message = _("Write the date with the digits 0-9, such as 2026-11-30.")
            else:
                message = _("Write the number with the digits 0-9.")
            errors[name] = [ErrorDetail(message, code="invalid")]
    return errors


def lookup_pk(queryset, field: str, value, name: str, message: str, problems: Problems):
    """The pk of the row whose `field` is `value` within `queryset`; "" (and a field error in `problems`)
    when none has it or no value was sent."""
    if value in (None, ""):
        return ""
    found = queryset.filter(**{field: str(value)[:200]}).values_list("pk", flat=True).first()
    if found is None:
        problems.add(name, message)
        return ""
    return found
