"""Query values no column can hold are treated as matching no row, instead of failing in the driver.

Django already does this for an integer compared with =, <, >: a number beyond the column's
range (an id of 99999999999999999999 in a form or URL) makes the condition empty. It does not
for `__in` (which forms with several choices use), nor for a time beyond year 9999 once moved
to UTC (midnight of 9999-12-31 in Pago Pago), where SQLite raises OverflowError and PostgreSQL
a DataError: a 500 for what is only a value that matches nothing.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import DateTimeField, IntegerField
from django.db.models.lookups import (
    Exact, GreaterThan, GreaterThanOrEqual, In, LessThan, LessThanOrEqual,
)


class IntegerInRange(In):
    """`__in` on an integer column, without the values outside the column's range."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not isinstance(value, int)
                        or ((low is None or value >= low) and (high is None or value <= high))]
        return super().process_rhs(compiler, connection)


class DateTimeInRange:
    """A time the database cannot represent: nothing is equal to it or on its far side."""

    def process_rhs(self, compiler, connection):
        try:
            return super().process_rhs(compiler, connection)
        except OverflowError as exc:
            raise EmptyResultSet from exc


def register():
    """Called once from config.apps: lookups are registered on the field classes, for every app."""
    IntegerField.register_lookup(IntegerInRange)
    for lookup in (Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual):
        DateTimeField.register_lookup(type(lookup.__name__, (DateTimeInRange, lookup), {}))
