"""Roll-ups of counted evaluations: the sums every report figure is made of, kept per
day and per calendar month (in settings.ROLLUP_TIME_ZONE), employee, location, scorecard
version, channel and source, so that a report reads a few thousand rows whatever the
number of evaluations.

Only evaluations that count (released, not calibration: EvaluationQuerySet.counted) are
rolled up, since reports read nothing else; the source is part of the key, so a report
can keep counting people's evaluations only and still show automatic ones on their own.

Written only by qa.rollups, in the transaction that changes an evaluation (a delta: the
evaluation's old contribution taken off, its new one added); `manage.py rebuild_rollups`
builds them again from the raw rows. Reports read them through reports.rollup_figures.
"""

from django.db import models

from scorecards.models import MAX_SECTIONS

BUCKETS = list(range(0, 100, 10))  # tenths of the overall score (reports.aggregation.BUCKETS)
SLOTS = list(range(1, MAX_SECTIONS + 1))


class Grain(models.TextChoices):
    DAY = "d", "day"
    MONTH = "m", "month"


def _key_fields():
    return {
        "grain": models.CharField(max_length=1, choices=Grain.choices),
        # The day, or the first day of the month, in settings.ROLLUP_TIME_ZONE.
        "period": models.DateField(),
        # Plain references (no constraint, nothing done on delete): a roll-up row goes when
        # its count reaches 0, and the evaluations themselves protect employees and places.
        "employee": models.ForeignKey("shops.Employee", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                                      null=True, blank=True, related_name="+"),
        # employee_id, or 0 for an evaluation of no one: a unique key cannot hold NULL on SQLite.
        "employee_key": models.PositiveIntegerField(default=0),
        "location": models.ForeignKey("shops.Location", on_delete=models.DO_NOTHING, db_constraint=False,
                                      db_index=False, related_name="+"),
        "version": models.ForeignKey("scorecards.ScorecardVersion", on_delete=models.DO_NOTHING,
                                     db_constraint=False, db_index=False, related_name="+"),
        "channel": models.CharField(max_length=20),
        "source": models.CharField(max_length=10),
        "count": models.IntegerField(default=0),
    }


# Sums are plain integers (no CHECK >= 0): a delta adds a negative number to a cell.
KEY_FIELDS = ["grain", "period", "employee_key", "location", "version", "channel", "source"]


def _sum(decimals: int, digits: int = 16):
    return models.DecimalField(max_digits=digits, decimal_places=decimals, default=0)


def _evaluation_rollup_attrs():
    attrs = _key_fields()
    attrs.update(
        scored=models.IntegerField(default=0),  # with an overall score
        total=_sum(2),  # sum of overall scores
        sum_sq=_sum(4, 20),  # sum of their squares, for confidence intervals
        critical_failures=models.IntegerField(default=0),
    )
    for low in BUCKETS:
        attrs[f"bucket_{low}"] = models.IntegerField(default=0)
    for slot in SLOTS:
        attrs[f"slot_total_{slot}"] = _sum(2)
        attrs[f"slot_count_{slot}"] = models.IntegerField(default=0)
    return attrs


class EvaluationRollup(models.Model):
    """Per cell: evaluations, overall-score sums, critical failures, the score distribution and
    each section slot's sums (Evaluation.section_score_N)."""

    locals().update(_evaluation_rollup_attrs())

    class Meta:
        constraints = [models.UniqueConstraint(fields=KEY_FIELDS, name="evaluation_rollup_key")]
        indexes = [
            models.Index(fields=["location", "grain", "period"], name="evaluation_rollup_location_idx"),
            models.Index(fields=["employee_key", "grain", "period"], name="evaluation_rollup_employee_idx"),
        ]


def _item_sum_fields():
    return {
        "item": models.ForeignKey("scorecards.Item", on_delete=models.DO_NOTHING, db_constraint=False,
                                  db_index=False, related_name="+"),
        "failures": models.IntegerField(default=0),
        "unscored": models.IntegerField(default=0),  # score is NULL (N/A, text)
        "answered": models.IntegerField(default=0),  # not N/A and not empty (KPI sample)
        "passed": models.IntegerField(default=0),  # reports.aggregation.KPI_PASSED
        "number_total": _sum(4, 24),
        "number_count": models.IntegerField(default=0),
    }


class ItemRollup(models.Model):
    """Per cell and item: how its answers went (failed items, N/A, KPI figures)."""

    locals().update(_key_fields())
    locals().update(_item_sum_fields())

    class Meta:
        constraints = [models.UniqueConstraint(fields=[*KEY_FIELDS, "item"], name="item_rollup_key")]
        indexes = [
            models.Index(fields=["location", "grain", "period"], name="item_rollup_location_idx"),
            models.Index(fields=["employee_key", "grain", "period"], name="item_rollup_employee_idx"),
        ]


# The place roll-up's key: the cell's key without the employee.
PLACE_KEY_FIELDS = [name for name in KEY_FIELDS if name != "employee_key"]


class LocationItemRollup(models.Model):
    """ItemRollup added up over the employees of each place: what a report that reads no employee (the
    dashboard, a region's or a location's page) reads, so its item figures cost rows per place, item and
    period, not per employee (about 9 item rows per evaluation at a call centre's size otherwise)."""

    locals().update({name: field for name, field in _key_fields().items() if name not in ("employee", "employee_key")})
    locals().update(_item_sum_fields())

    class Meta:
        constraints = [models.UniqueConstraint(fields=[*PLACE_KEY_FIELDS, "item"], name="location_item_rollup_key")]
        indexes = [models.Index(fields=["location", "grain", "period"], name="place_item_rollup_place_idx"),
                   models.Index(fields=["grain", "period"], name="place_item_rollup_period_idx")]
