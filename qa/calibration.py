"""Blind calibration: several reviewers score the same interaction without seeing each
other; when all have scored (or the lead closes the session) the answers are compared.

Who may see a calibration score is decided here and nowhere else: `blind_filter`
(as a filter), `visible_evaluations` (a queryset narrowed by it) and
`may_see_evaluation` (one evaluation) are one rule. qa.scoping applies it to every
evaluation a page, a report, an export or a task reads, and the admin applies it to
its evaluation pages; `may_score` says whose calibration draft a person may write.

Agreement is Krippendorff's alpha (the `krippendorff` package), computed per group of
items that share a scale, because alpha's distance only makes sense within one scale:
yes/no items as nominal data, yes/partly/no and 1-5 scales as ordinal data (each its own
group), numbers as interval data. An N/A or a missing answer is missing data. Alpha is
undefined when every answer given is the same value (nothing to disagree about), and
then shown as such rather than as a number.
"""

from collections import Counter
from dataclasses import dataclass, field

import krippendorff
import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qa import roles
from qa.models import CalibrationSession, Evaluation
from scorecards import scoring, words
from scorecards.models import AnswerType
from scorecards.services import load_structure

ORDINAL_CODES = {
    AnswerType.YES_NO: {"no": 0, "yes": 1},
    AnswerType.YES_PARTIAL_NO: {"no": 0, "partial": 1, "yes": 2},
}
GROUPS = [
    (AnswerType.YES_NO, "nominal", _lazy("Yes/no items (nominal)")),
    (AnswerType.YES_PARTIAL_NO, "ordinal", _lazy("Yes/partly/no items (ordinal)")),
    (AnswerType.SCALE_5, "ordinal", _lazy("1-5 scales (ordinal)")),
    (AnswerType.NUMBER, "interval", _lazy("Numbers (interval)")),
]


def code(answer_type: str, value: str, na: bool) -> float:
    """An answer as a number for alpha; NaN (missing) for N/A, unanswered or unreadable."""
    if na or not value:
        return np.nan
    if answer_type in ORDINAL_CODES:
        return float(ORDINAL_CODES[answer_type].get(value, np.nan))
    number = scoring.parse_number(value)
    return np.nan if number is None else float(number)


@dataclass
class Alpha:
    label: str
    level: str
    items: int
    value: float | None
    note: str = ""


def alpha(rows: list[list[float]], level: str) -> tuple[float | None, str]:
    """Alpha for one group; rows are raters, columns are items."""
    data = np.array(rows, dtype=float)
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).sum() if data.size else 0
    if not pairable:
        return None, _("no item was answered by two scorers")
    values = data[~np.isnan(data)]
    if len(set(values.tolist())) < 2:
        return None, _("every answer was the same, so there is nothing to disagree about")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level)), ""


def alphas(items, raters, answers) -> list[Alpha]:
    """One figure per scale group among these items (TEXT items are never compared)."""
    result = []
    for answer_type, level, label in GROUPS:
        group = [item for item in items if item.answer_type == answer_type]
        if not group:
            continue
        rows = [[answers.get((rater, item.pk), np.nan) for item in group] for rater in raters]
        value, note = alpha(rows, level)
        result.append(Alpha(str(label), level, len(group), value, note))
    return result


@dataclass
class ItemRow:
    item: object
    answers: list[str]
    answered: int
    disagreement: float | None
    spread: str
    flagged: bool


@dataclass
class Deviation:
    evaluation: Evaluation
    compared: int
    differing: int
    score_difference: float | None

    @property
    def percent(self) -> float | None:
        return round(100 * self.differing / self.compared, 1) if self.compared else None


@dataclass
class Results:
    evaluations: list[Evaluation]
    rows_by_section: list[tuple[object, list[ItemRow], list[Alpha]]]
    overall: list[Alpha]
    deviations: list[Deviation]
    reference: Evaluation | None
    missing: list = field(default_factory=list)


def blind_filter(user) -> Q:
    """The blind rule, as a filter on Evaluation: the evaluations calibration lets this person see.

    Until its session is closed, a calibration score is seen by nobody but its own
    evaluator: not the other reviewers, not the session's lead, not an administrator.
    Once the session is closed, QA staff (administrators, leads, reviewers) see it, as
    the session's results compare everyone's answers. Nobody else ever sees one: a
    calibration score is never released and never counts. Evaluations that are not
    calibration scores are left to the rest of qa.scoping.
    """
    not_calibration = Q(is_calibration=False)
    if not user.is_authenticated or not roles.is_qa_staff(user):
        return not_calibration
    closed = CalibrationSession.objects.filter(closed_at__isnull=False).values("pk")
    return not_calibration | Q(evaluator=user) | Q(calibration__in=closed)


def visible_evaluations(user, queryset):
    """`queryset` (of Evaluation) without the calibration scores this person may not see yet."""
    return queryset.filter(blind_filter(user))


def may_see_evaluation(user, evaluation: Evaluation) -> bool:
    """The same rule for one evaluation (one query), for pages that already hold it."""
    return visible_evaluations(user, Evaluation.objects.filter(pk=evaluation.pk)).exists()


def may_score(user, evaluation: Evaluation) -> bool:
    """A calibration score is written by its own evaluator only, even by a lead who may read it."""
    return not evaluation.is_calibration or evaluation.evaluator_id == user.pk


def participants(session: CalibrationSession) -> list:
    people = list(session.reviewers.all())
    if session.lead not in people:
        people.append(session.lead)
    return people


def scored(session: CalibrationSession) -> list[Evaluation]:
    return list(session.evaluations.filter(status=Evaluation.Status.SUBMITTED)
                .select_related("evaluator").prefetch_related("answers").order_by("submitted_at", "pk"))


def is_participant(session: CalibrationSession, user) -> bool:
    return any(person.pk == user.pk for person in participants(session))


def may_close(session: CalibrationSession, user) -> bool:
    """The session's lead, or an administrator."""
    return session.lead_id == user.pk or roles.has_role(user, roles.ADMINISTRATOR)


def refresh_completion(session: CalibrationSession) -> bool:
    """Close the session once every invited reviewer and the lead have scored."""
    if session.is_closed:
        return True
    done = {e.evaluator_id for e in scored(session)}
    if all(person.pk in done for person in participants(session)):
        close(session)
        return True
    return False


@transaction.atomic
def create_session(*, interaction, version, lead, reviewers, threshold, note="") -> CalibrationSession:
    reviewers = [r for r in reviewers if r.pk != lead.pk]
    if not reviewers:
        raise ValidationError({"reviewers": _("Invite at least one reviewer besides yourself.")})
    session = CalibrationSession.objects.create(interaction=interaction, version=version, lead=lead,
                                                threshold=threshold, note=note)
    session.reviewers.set(reviewers)
    return session


def close(session: CalibrationSession) -> None:
    if session.is_closed:
        raise ValidationError(_("This session is already closed."))
    session.closed_at = timezone.now()
    session.save(update_fields=["closed_at"])


def _label(answer, item) -> str:
    if answer is None or not (answer.value or answer.na):
        return "–"
    return words.answer_word(answer.value, answer.na, item.answer_type, item.number_unit)


def results(session: CalibrationSession) -> Results:
    evaluations = scored(session)
    reference = next((e for e in evaluations if e.evaluator_id == session.lead_id), None)
    sections = load_structure(session.version)
    by_rater = {e.pk: {a.item_id: a for a in e.answers.all()} for e in evaluations}
    coded = {}
    for e in evaluations:
        for section in sections:
            for item in section.items.all():
                a = by_rater[e.pk].get(item.pk)
                coded[(e.pk, item.pk)] = np.nan if a is None else code(item.answer_type, a.value, a.na)
    raters = [e.pk for e in evaluations]
    threshold = float(session.threshold)
    rows_by_section, all_items = [], []
    for section in sections:
        rows = []
        items = [item for item in section.items.all() if item.answer_type != AnswerType.TEXT]
        all_items += items
        for item in items:
            given = [by_rater[e.pk].get(item.pk) for e in evaluations]
            labels = [_label(a, item) for a in given]
            real = [label for a, label in zip(given, labels) if a is not None and (a.value or a.na)]
            disagreement = None
            if len(real) >= 2:
                top = Counter(real).most_common(1)[0][1]
                disagreement = round(100 * (1 - top / len(real)), 1)
            numbers = [coded[(e.pk, item.pk)] for e in evaluations if not np.isnan(coded[(e.pk, item.pk)])]
            spread = ""
            if numbers and item.answer_type in (AnswerType.SCALE_5, AnswerType.NUMBER):
                spread = f"{min(numbers):g}–{max(numbers):g}"
            else:
                spread = ", ".join(f"{k} ×{v}" for k, v in Counter(real).most_common())
            rows.append(ItemRow(item, labels, len(real), disagreement, spread,
                                disagreement is not None and disagreement > threshold))
        rows_by_section.append((section, rows, alphas(items, raters, coded)))
    deviations = []
    if reference is not None:
        ref_answers = by_rater[reference.pk]
        for e in evaluations:
            if e.pk == reference.pk:
                continue
            compared = differing = 0
            for item in all_items:
                mine, theirs = by_rater[e.pk].get(item.pk), ref_answers.get(item.pk)
                if mine is None or theirs is None:
                    continue
                compared += 1
                if (mine.value, mine.na) != (theirs.value, theirs.na):
                    differing += 1
            diff = None
            if e.overall_score is not None and reference.overall_score is not None:
                diff = float(e.overall_score - reference.overall_score)
            deviations.append(Deviation(e, compared, differing, diff))
    done = {e.evaluator_id for e in evaluations}
    missing = [p for p in participants(session) if p.pk not in done]
    return Results(evaluations, rows_by_section, alphas(all_items, raters, coded), deviations, reference, missing)
