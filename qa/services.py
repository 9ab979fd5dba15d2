"""The evaluation workflow: record answers, score them with the engine, store the
scores, release. Views, commands, imports and tests all go through here."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from qa import rollups
from qa.models import SECTION_SLOTS, Answer, Evaluation, SectionScore
from qa.signals import acting_user, announce_release
from scorecards import scoring
from scorecards.services import spec_for


ANSWER_SEPARATOR = rollups.ANSWER_SEPARATOR
NOT_APPLICABLE = rollups.NOT_APPLICABLE


def section_slot_values(spec: scoring.ScorecardSpec, result: scoring.ScoreResult) -> dict:
    """Evaluation.section_score_N for every slot: section N's score, None past the last section."""
    scores = [result.section_scores.get(section.id) for section in spec.sections]
    return {slot: scores[n] if n < len(scores) else None for n, slot in enumerate(SECTION_SLOTS)}


def answer_values_text(item_ids, answers) -> str:
    """The evaluation's answers as one string in item order (see Evaluation.answer_values):
    N/A spelt out, a missing answer empty, the separator never inside a value."""
    by_item = {a.item_id: a for a in answers}
    values = []
    for item_id in item_ids:
        answer = by_item.get(item_id)
        if answer is None:
            values.append("")
        elif answer.na:
            values.append(NOT_APPLICABLE)
        else:
            values.append(answer.value.replace(ANSWER_SEPARATOR, " "))
    return ANSWER_SEPARATOR.join(values)


@dataclass(frozen=True)
class AnswerData:
    value: str = ""
    na: bool = False
    comment: str = ""


def engine_answers(answers: dict[int, AnswerData]) -> dict[int, scoring.AnswerInput]:
    return {item_id: scoring.AnswerInput(value=a.value, na=a.na) for item_id, a in answers.items()}


def stored_answers(evaluation: Evaluation) -> dict[int, AnswerData]:
    return {
        a.item_id: AnswerData(value=a.value, na=a.na, comment=a.comment)
        for a in evaluation.answers.all()
    }


def number_item_ids(spec: scoring.ScorecardSpec) -> set[int]:
    return {item.id for item in spec.items() if item.answer_type == scoring.NUMBER}


def scored_fields(item_id: int, value: str, na: bool, result: scoring.ScoreResult, number_items: set) -> tuple:
    """(score, failed, number) as stored on an answer, from the engine's result."""
    number = scoring.parse_number(value) if item_id in number_items and not na and value else None
    number = None if number is None else Decimal(number.numerator) / Decimal(number.denominator)
    return result.item_scores.get(item_id), item_id in result.failed_items, number


@transaction.atomic
def save_answers(evaluation: Evaluation, answers: dict[int, AnswerData],
                 spec: scoring.ScorecardSpec | None = None) -> None:
    """Write answers as given (complete or not), one row per item, replacing earlier ones.

    With the version's spec, answers about to be scored are written with their scores
    already in place, so score_and_store finds nothing to update: one insert of the
    answers and their history instead of an insert and then a bulk update of both."""
    scores = None
    if spec is not None:
        try:
            result = scoring.score(spec, engine_answers(answers))
            number_items = number_item_ids(spec)
            scores = {item_id: scored_fields(item_id, a.value, a.na, result, number_items)
                      for item_id, a in answers.items()}
        except scoring.AnswerError:
            scores = None  # incomplete or invalid: score_and_store will say so
    existing = {a.item_id: a for a in evaluation.answers.all()}
    to_create = []
    for item_id, data in answers.items():
        answer = existing.get(item_id)
        if answer is None:
            answer = Answer(evaluation=evaluation, item_id=item_id, value=data.value, na=data.na, comment=data.comment)
            if scores is not None:
                answer.score, answer.failed, answer.number = scores[item_id]
            to_create.append(answer)
        elif (answer.value, answer.na, answer.comment) != (data.value, data.na, data.comment):
            answer.value, answer.na, answer.comment = data.value, data.na, data.comment
            answer.save(update_fields=["value", "na", "comment"])
    bulk_create_with_history(to_create, Answer, default_user=acting_user())


@transaction.atomic
def score_and_store(evaluation: Evaluation, spec: scoring.ScorecardSpec | None = None) -> scoring.ScoreResult:
    """Run the engine over the evaluation's stored answers and store every figure it returns."""
    spec = spec or spec_for(evaluation.version)
    answers = list(evaluation.answers.all())
    result = scoring.score(
        spec, {a.item_id: scoring.AnswerInput(value=a.value, na=a.na) for a in answers}
    )
    number_items = number_item_ids(spec)
    changed = []
    for answer in answers:
        new_score, new_failed, new_number = scored_fields(answer.item_id, answer.value, answer.na, result, number_items)
        if (answer.score, answer.failed, answer.number) != (new_score, new_failed, new_number):
            answer.score, answer.failed, answer.number = new_score, new_failed, new_number
            changed.append(answer)
    if changed:
        bulk_update_with_history(changed, Answer, ["score", "failed", "number"], default_user=acting_user())

    existing = {s.section_id: s for s in evaluation.section_scores.all()}
    to_create = []
    for section in spec.sections:
        value = result.section_scores.get(section.id)
        stored = existing.get(section.id)
        if stored is None:
            to_create.append(SectionScore(evaluation=evaluation, section_id=section.id,
                                          section_name=section.name, score=value))
        elif stored.score != value:
            stored.score = value
            stored.save(update_fields=["score"])
    SectionScore.objects.bulk_create(to_create)

    evaluation.overall_score = result.overall
    evaluation.critical_failed = result.critical_failed
    for slot, value in section_slot_values(spec, result).items():
        setattr(evaluation, slot, value)
    evaluation.answer_values = answer_values_text([item.id for item in spec.items()], answers)
    evaluation.scored_at = timezone.now()
    evaluation.revision += 1
    evaluation._rollup_spec = spec  # the roll-ups score the answers with the same spec (qa.rollups)
    evaluation.save()
    return result


def check_complete(evaluation: Evaluation, answers: dict[int, AnswerData], spec: scoring.ScorecardSpec) -> None:
    """Refuse to submit an incomplete or invalid set of answers, naming each item."""
    problems = scoring.answer_problems(spec, engine_answers(answers))
    if problems:
        raise ValidationError({str(item_id): message for item_id, message in problems.items()})


@transaction.atomic
def submit(evaluation: Evaluation, *, release: bool) -> scoring.ScoreResult:
    """Score and submit. A reviewer's evaluation is released at once; a shopper's
    report waits for a reviewer's approval (release=False) before it counts."""
    spec = spec_for(evaluation.version)
    check_complete(evaluation, stored_answers(evaluation), spec)
    now = timezone.now()
    evaluation.submitted_at = evaluation.submitted_at or now
    evaluation.status = Evaluation.Status.RELEASED if release else Evaluation.Status.SUBMITTED
    if release:
        evaluation.released_at = now
    result = score_and_store(evaluation, spec)
    if release:
        announce_release(evaluation)
    return result


@transaction.atomic
def release(evaluation: Evaluation) -> scoring.ScoreResult:
    if evaluation.status != Evaluation.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted evaluation can be released."))
    evaluation.status = Evaluation.Status.RELEASED
    evaluation.released_at = timezone.now()
    result = score_and_store(evaluation)
    announce_release(evaluation)
    return result
