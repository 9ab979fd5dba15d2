"""Keeping the report roll-ups (qa.models.rollups) equal to the raw rows they add up.

Every change to an evaluation goes through Evaluation.save() or a delete, which call
here inside their transaction: the evaluation's stored row is read under a row lock
(select_for_update), its contribution (what it adds to its day's and month's cells, if
it counts) is taken off and the new row's contribution added, in one upsert per table
(INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n, the same on SQLite and
PostgreSQL; cells written in key order so two writers never deadlock). So a release, a
rejection, a correction, a decided dispute, a calibration flag, a move to another
employee or place, and a deletion all keep the roll-ups exact, whoever makes them.

An evaluation's answers are not read again: its contribution per item is worked out by
the scoring engine from Evaluation.answer_values, the answers as they were last scored
(written by qa.services.score_and_store with the scores), so the old contribution is
known even after the answer rows have changed.

`rebuild()` makes them again from the raw rows (`manage.py rebuild_rollups`).
"""

import zoneinfo
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from qa.models import SECTION_SLOTS, Answer, Evaluation, EvaluationRollup, ItemRollup, LocationItemRollup
from qa.models.rollups import BUCKETS, KEY_FIELDS, SLOTS, Grain
from scorecards import scoring

ANSWER_SEPARATOR = "\x1f"  # qa.services.ANSWER_SEPARATOR (services imports this module)
NOT_APPLICABLE = "N/A"

# Every source is rolled up, keyed by source: reports read people's cells unless they ask for another source.
ALL_SOURCES = Evaluation.Source.values

ROW_FIELDS = ["status", "is_calibration", "interaction_at", "employee_id", "location_id", "version_id", "channel",
              "source", "overall_score", "critical_failed", "answer_values", *SECTION_SLOTS]

EVALUATION_SUMS = ["count", "scored", "total", "sum_sq", "critical_failures",
                   *[f"bucket_{low}" for low in BUCKETS],
                   *[f"slot_total_{slot}" for slot in SLOTS], *[f"slot_count_{slot}" for slot in SLOTS]]
ITEM_SUMS = ["count", "failures", "unscored", "answered", "passed", "number_total", "number_count"]
KEY_COLUMNS = ["grain", "period", "employee_id", "employee_key", "location_id", "version_id", "channel", "source"]
UNIQUE_COLUMNS = ["grain", "period", "employee_key", "location_id", "version_id", "channel", "source"]
PLACE_COLUMNS = ["grain", "period", "location_id", "version_id", "channel", "source"]


def place_key(item_key: tuple) -> tuple:
    """An ItemRollup cell's key (KEY_COLUMNS + item) as the LocationItemRollup cell it adds into."""
    return item_key[:2] + item_key[4:]


# Each table's columns: (the key as written, the unique key it conflicts on).
TABLES = {
    "evaluation": (KEY_COLUMNS, UNIQUE_COLUMNS),
    "item": ([*KEY_COLUMNS, "item_id"], [*UNIQUE_COLUMNS, "item_id"]),
    "place_item": ([*PLACE_COLUMNS, "item_id"], [*PLACE_COLUMNS, "item_id"]),
}


def zone():
    return zoneinfo.ZoneInfo(settings.ROLLUP_TIME_ZONE)


def counts(row: dict) -> bool:
    """EvaluationQuerySet.counted(ALL_SOURCES), for one row."""
    return row["status"] == Evaluation.Status.RELEASED and not row["is_calibration"]


def bucket(score) -> int:
    """reports.aggregation.bucket_of: the lower bound of the score's tenth, 100 in 90."""
    for low in BUCKETS[::-1]:
        if low and score >= low:
            return low
    return 0


def cells(row: dict) -> list[tuple]:
    """The evaluation's day cell and month cell: (grain, period, employee_id, employee_key, location, version, channel, source)."""
    day = row["interaction_at"].astimezone(zone()).date()
    rest = (row["employee_id"], row["employee_id"] or 0, row["location_id"], row["version_id"], row["channel"],
            row["source"])
    return [(Grain.DAY.value, day, *rest), (Grain.MONTH.value, day.replace(day=1), *rest)]


def evaluation_figures(row: dict) -> dict:
    score = row["overall_score"]
    figures = dict.fromkeys(EVALUATION_SUMS, 0)
    figures["count"] = 1
    figures["critical_failures"] = int(bool(row["critical_failed"]))
    if score is not None:
        score = Decimal(score)
        figures.update(scored=1, total=score, sum_sq=score * score)
        figures[f"bucket_{bucket(score)}"] = 1
    for slot in SLOTS:
        value = row[f"section_score_{slot}"]
        if value is not None:
            figures[f"slot_total_{slot}"] = Decimal(value)
            figures[f"slot_count_{slot}"] = 1
    return figures


@lru_cache(maxsize=256)
def _spec(version_id: int, published_at) -> scoring.ScorecardSpec:
    from scorecards.models import ScorecardVersion
    from scorecards.services import spec_for

    return spec_for(ScorecardVersion.objects.get(pk=version_id))


def spec_of(version_id: int) -> scoring.ScorecardSpec:
    """The version's spec; kept while the version is published (a published version never changes)."""
    from scorecards.models import ScorecardVersion

    published_at = ScorecardVersion.objects.filter(pk=version_id).values_list("published_at", flat=True).first()
    if published_at is None:
        _spec.cache_clear()  # a draft may change: read it afresh
    return _spec(version_id, published_at)


def item_figures(row: dict, spec: scoring.ScorecardSpec) -> dict[int, dict]:
    """Per item of the version: what its answer adds (the fields of ItemRollup), from the
    answers as last scored, scored again by the engine (the same figures score_and_store
    stored on the answer rows)."""
    values = row["answer_values"].split(ANSWER_SEPARATOR) if row["answer_values"] else []
    items = list(spec.items())
    given = {item.id: value for item, value in zip(items, values)}
    inputs = {item_id: scoring.AnswerInput(value="" if value == NOT_APPLICABLE else value, na=value == NOT_APPLICABLE)
              for item_id, value in given.items()}
    try:
        result = scoring.score(spec, inputs)
    except scoring.AnswerError:  # not a scoreable set (never true of a counted evaluation): nothing scored
        result = scoring.ScoreResult(item_scores={})
    figures = {}
    for item in items:
        if item.id not in given:
            continue  # no answer row for it
        value = given[item.id]
        na = value == NOT_APPLICABLE
        answered = not na and value != ""
        number = None
        if item.answer_type == scoring.NUMBER and answered:
            try:
                exact = scoring.parse_number(value)
                number = Decimal(exact.numerator) / Decimal(exact.denominator)
            except (scoring.AnswerError, ValueError, ArithmeticError):
                number = None
        figures[item.id] = {
            "count": 1,
            "failures": int(item.id in result.failed_items),
            "unscored": int(result.item_scores.get(item.id) is None),
            "answered": int(answered),
            "passed": int(answered and (value == "yes" or (item.answer_type == "scale_5" and value in ("4", "5")))),
            "number_total": number or 0,
            "number_count": int(number is not None),
        }
    return figures


def contribution(row: dict | None, spec=None) -> tuple[dict, dict]:
    """What one evaluation row adds to the roll-ups: ({cell: sums}, {(cell, item): sums}); nothing if it does not count."""
    if row is None or not counts(row):
        return {}, {}
    spec = spec if spec is not None else spec_of(row["version_id"])
    evaluation = evaluation_figures(row)
    items = item_figures(row, spec)
    by_cell, by_item = {}, {}
    for cell in cells(row):
        by_cell[cell] = evaluation
        for item_id, figures in items.items():
            by_item[(*cell, item_id)] = figures
    return by_cell, by_item


def stored_row(pk) -> dict | None:
    """The evaluation's row as stored, locked until the transaction ends."""
    if pk is None:
        return None
    return Evaluation.objects.select_for_update().filter(pk=pk).values(*ROW_FIELDS).first()


def row_of(evaluation: Evaluation, update_fields=None, stored: dict | None = None) -> dict:
    """The row `evaluation.save(update_fields=...)` leaves in the database."""
    current = {name: as_stored(name, getattr(evaluation, name)) for name in ROW_FIELDS}
    if update_fields is None or stored is None:
        return current
    names = {Evaluation._meta.get_field(name).attname for name in update_fields}
    return {name: current[name] if name in names else stored[name] for name in ROW_FIELDS}


def as_stored(name: str, value):
    """A value as the database gives it back (a string set on a date or score field is parsed, as save() does)."""
    if value is None or name in ("status", "channel", "source", "answer_values"):
        return value
    field = Evaluation._meta.get_field(name)
    value = field.to_python(value)
    if name == "interaction_at" and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def change(old: dict | None, new: dict | None, spec=None) -> None:
    """Take `old`'s contribution off and add `new`'s (either may be None), in the current transaction."""
    same_version = old is not None and new is not None and old["version_id"] == new["version_id"]
    change_many([(old, new)], spec if same_version or old is None else None)


def change_many(pairs, spec=None) -> None:
    """change() for many (old, new) rows at once: their deltas netted per cell, one upsert per table."""
    old_cells, old_items, new_cells, new_items = {}, {}, {}, {}
    for old, new in pairs:
        if old is not None and new is not None and all(old[name] == new[name] for name in ROW_FIELDS):
            continue
        for row, cells_out, items_out, row_spec in ((old, old_cells, old_items, None), (new, new_cells, new_items, spec)):
            by_cell, by_item = contribution(row, row_spec if row is new else (spec if old is not None and new is not None
                                                                               and old["version_id"] == new["version_id"]
                                                                               else None))
            add_into(cells_out, by_cell, EVALUATION_SUMS)
            add_into(items_out, by_item, ITEM_SUMS)
    if not (old_cells or new_cells):
        return
    apply(EvaluationRollup, EVALUATION_SUMS, net(old_cells, new_cells, EVALUATION_SUMS))
    item_deltas = net(old_items, new_items, ITEM_SUMS)
    apply(ItemRollup, ITEM_SUMS, item_deltas, table="item")
    apply(LocationItemRollup, ITEM_SUMS, over_places(item_deltas), table="place_item")


def over_places(item_deltas: dict) -> dict:
    """The item deltas added up per place (employee left out of the key), those that change something."""
    places: dict = {}
    for key, delta in item_deltas.items():
        entry = places.setdefault(place_key(key), dict.fromkeys(ITEM_SUMS, 0))
        for name in ITEM_SUMS:
            entry[name] += delta[name]
    return {key: delta for key, delta in places.items() if any(delta.values())}


def add_into(total: dict, part: dict, sums: list[str]) -> None:
    for key, figures in part.items():
        entry = total.get(key)
        if entry is None:
            total[key] = dict(figures)
        else:
            for name in sums:
                entry[name] += figures[name]


def net(old: dict, new: dict, sums: list[str]) -> dict:
    deltas = {}
    for key in set(old) | set(new):
        before, after = old.get(key), new.get(key)
        delta = {name: (after[name] if after else 0) - (before[name] if before else 0) for name in sums}
        if any(delta.values()):
            deltas[key] = delta
    return deltas


def apply(model, sums: list[str], deltas: dict, table: str = "evaluation") -> None:
    """Add `deltas` to their cells in one statement; cells left with no evaluation are deleted."""
    if not deltas:
        return
    keys = sorted(deltas, key=lambda key: tuple(str(part) for part in key))
    batch = max(1, MAX_PARAMETERS // (len(TABLES[table][0]) + len(sums)))
    for start in range(0, len(keys), batch):
        apply_cells(model, sums, {key: deltas[key] for key in keys[start:start + batch]}, table)


MAX_PARAMETERS = 900  # per statement: under the 999 of SQLite's older builds


def apply_cells(model, sums: list[str], deltas: dict, table_name: str) -> None:
    table = model._meta.db_table
    key_columns, unique = TABLES[table_name]
    columns = key_columns + sums
    positions = [key_columns.index(name) for name in unique]  # where the unique key's values sit in a cell's key
    qn = connection.ops.quote_name
    keys = sorted(deltas, key=lambda key: tuple(str(part) for part in key))
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params = []
    for key in keys:
        params.extend(key)
        params.extend(deltas[key][name] for name in sums)
    updates = ", ".join(f"{qn(name)} = {table}.{qn(name)} + excluded.{qn(name)}" for name in sums)
    sql = (f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([placeholders] * len(keys))} "
           f"ON CONFLICT ({', '.join(qn(c) for c in unique)}) DO UPDATE SET {updates}")
    emptied = [key for key in keys if deltas[key]["count"] < 0]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if emptied:
            where = " AND ".join(f"{qn(c)} = %s" for c in unique)
            for key in emptied:
                values = [key[position] for position in positions]
                cursor.execute(f"DELETE FROM {table} WHERE {where} AND {qn('count')} <= 0", values)


# ---------------------------------------------------------------- hooks (qa.models.Evaluation)

def saving(evaluation: Evaluation, save, update_fields=None):
    """Evaluation.save(): the row before, the save, the difference, in one transaction."""
    with transaction.atomic():
        stored = None if evaluation._state.adding or evaluation.pk is None else stored_row(evaluation.pk)
        result = save()
        change(stored, row_of(evaluation, update_fields, stored), getattr(evaluation, "_rollup_spec", None))
        return result


def deleting(evaluation: Evaluation) -> None:
    """Before an evaluation is deleted (pre_delete, inside the delete's transaction)."""
    change(stored_row(evaluation.pk), None)


def update(queryset, **values) -> int:
    """EvaluationQuerySet.update(): the rows before (locked), the update, the rows after, and
    the difference in the roll-ups, in one transaction. An update of nothing the roll-ups
    read (an acknowledgement, say) is a plain update."""
    plain = models.QuerySet.update
    names = {Evaluation._meta.get_field(name).attname for name in values}
    if not names & set(ROW_FIELDS):
        return plain(queryset, **values)
    with transaction.atomic():
        before = {row.pop("pk"): row for row in
                  queryset.select_for_update(of=("self",)).order_by("pk").values("pk", *ROW_FIELDS)}
        changed = plain(queryset, **values)
        pks = list(before)
        after = {}
        for start in range(0, len(pks), 500):
            for row in Evaluation.objects.filter(pk__in=pks[start:start + 500]).values("pk", *ROW_FIELDS):
                after[row.pop("pk")] = row
        change_many((old, after.get(pk)) for pk, old in before.items())
        return changed


def created(objects) -> None:
    """After EvaluationQuerySet.bulk_create: the new rows' contributions."""
    change_many((None, row_of(evaluation)) for evaluation in objects if evaluation.pk is not None)


# ---------------------------------------------------------------- rebuild

def rebuild(progress=None) -> dict:
    """Every roll-up again from the raw rows: one GROUP BY of the counted evaluations by day,
    one of their answers by day and item, and the months added up from the days."""
    say = progress or (lambda message: None)
    day = TruncDate("interaction_at", tzinfo=zone())
    keys = ["day", "employee_id", "location_id", "version_id", "channel", "source"]
    with transaction.atomic():
        LocationItemRollup.objects.all().delete()
        ItemRollup.objects.all().delete()
        EvaluationRollup.objects.all().delete()
        say("evaluations by day")
        sums = {
            "n": Count("pk"), "n_scored": Count("overall_score"), "s_total": Sum("overall_score"),
            "s_sum_sq": Sum(F("overall_score") * F("overall_score")),
            "n_critical": Count("pk", filter=Q(critical_failed=True)),
        }
        for low in BUCKETS:
            upper = Q(overall_score__lt=low + 10) if low < 90 else Q()
            sums[f"n_bucket_{low}"] = Count("pk", filter=Q(overall_score__gte=low) & upper if low else
                                            Q(overall_score__lt=10))
        for slot in SLOTS:
            sums[f"s_slot_{slot}"] = Sum(f"section_score_{slot}")
            sums[f"n_slot_{slot}"] = Count(f"section_score_{slot}")
        rows = Evaluation.objects.counted(ALL_SOURCES).annotate(day=day).values(*keys).annotate(**sums).order_by()
        written = _write(EvaluationRollup, rows, lambda r: dict(
            count=r["n"], scored=r["n_scored"], total=r["s_total"] or 0, sum_sq=r["s_sum_sq"] or 0,
            critical_failures=r["n_critical"], **{f"bucket_{low}": r[f"n_bucket_{low}"] for low in BUCKETS},
            **{f"slot_total_{s}": r[f"s_slot_{s}"] or 0 for s in SLOTS},
            **{f"slot_count_{s}": r[f"n_slot_{s}"] for s in SLOTS}), say)
        say("answers by day and item")
        answered = Q(na=False) & ~Q(value="")
        item_keys = [f"evaluation__{k}" if k != "day" else k for k in keys]
        answers = (
            Answer.objects.filter(evaluation__in=Evaluation.objects.counted(ALL_SOURCES))
            .annotate(day=TruncDate("evaluation__interaction_at", tzinfo=zone()))
            .values(*item_keys, "item_id")
            .annotate(n=Count("pk"), n_failed=Count("pk", filter=Q(failed=True)),
                      n_unscored=Count("pk", filter=Q(score__isnull=True)), n_answered=Count("pk", filter=answered),
                      n_passed=Count("pk", filter=answered & (Q(value="yes") | Q(item__answer_type="scale_5",
                                                                                   value__in=["4", "5"]))),
                      s_number=Sum("number", filter=answered), n_number=Count("number", filter=answered))
            .order_by()
        )
        item_rows = _write(ItemRollup, ({**r, **{k: r[f"evaluation__{k}"] for k in keys if k != "day"}}
                                        for r in answers), lambda r: dict(
            item_id=r["item_id"], count=r["n"], failures=r["n_failed"], unscored=r["n_unscored"],
            answered=r["n_answered"], passed=r["n_passed"], number_total=r["s_number"] or 0,
            number_count=r["n_number"]), say)
        say("months from days")
        months = months_from_days()
        say("items per place")
        places = place_items_from_items()
    return {"evaluation_rollups": written, "item_rollups": item_rows, "month_rows": months, "place_item_rows": places}


def _write(model, rows, figures, say, batch=5000) -> int:
    pending, written = [], 0
    for row in rows:
        pending.append(model(grain=Grain.DAY, period=row["day"], employee_id=row["employee_id"],
                             employee_key=row["employee_id"] or 0, location_id=row["location_id"],
                             version_id=row["version_id"], channel=row["channel"], source=row["source"],
                             **figures(row)))
        if len(pending) >= batch:
            model.objects.bulk_create(pending)
            written += len(pending)
            pending = []
            say(f"{written:,} {model._meta.verbose_name_plural}")
    model.objects.bulk_create(pending)
    return written + len(pending)


def months_from_days() -> int:
    """The month rows, as sums of the day rows (one INSERT ... SELECT per table)."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        month = "date_trunc('month', period)::date"
    else:
        month = "date(period, 'start of month')"
    written = 0
    for model, sums, extra in ((EvaluationRollup, EVALUATION_SUMS, []), (ItemRollup, ITEM_SUMS, ["item_id"])):
        table = model._meta.db_table
        group = [c for c in KEY_COLUMNS if c not in ("grain", "period")] + extra
        columns = ["grain", "period", *group, *sums]
        select = (f"SELECT 'm', {month}, {', '.join(qn(c) for c in group)}, "
                  f"{', '.join(f'SUM({qn(s)})' for s in sums)} FROM {table} WHERE grain = 'd' "
                  f"GROUP BY {month}, {', '.join(qn(c) for c in group)}")
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE grain = 'm'")
            cursor.execute(f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) {select}")
            written += cursor.rowcount
    return written


def place_items_from_items() -> int:
    """LocationItemRollup as the sums of ItemRollup over employees, days and months alike (one INSERT ... SELECT;
    the data migration that created the table does the same)."""
    qn = connection.ops.quote_name
    group = [*PLACE_COLUMNS, "item_id"]
    columns = ", ".join(qn(c) for c in [*group, *ITEM_SUMS])
    select = (f"SELECT {', '.join(qn(c) for c in group)}, {', '.join(f'SUM({qn(s)})' for s in ITEM_SUMS)} "
              f"FROM {ItemRollup._meta.db_table} GROUP BY {', '.join(qn(c) for c in group)}")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LocationItemRollup._meta.db_table}")
        cursor.execute(f"INSERT INTO {LocationItemRollup._meta.db_table} ({columns}) {select}")
        return cursor.rowcount


assert KEY_FIELDS  # the model's unique key; UNIQUE_COLUMNS spells it in columns
