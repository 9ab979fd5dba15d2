"""The automatic evaluation of an interaction: every rule of its scorecard run over what was
said (autoqa.utterances, autoqa.rules), the answers scored by the one engine
(qa.services.score_and_store), each answer's moments kept (autoqa.models.Suggestion).

Decisions:
* One automatic evaluation per interaction (source "automatic", evaluator the inactive
  account `AUTOMATIC_USERNAME`), rewritten in place when the interaction is checked again.
  It is stored released, so it counts in its own source's figures; people's figures never
  include it (qa.models.EvaluationQuerySet.counted keeps people's sources unless asked).
* Items without a rule are left unanswered: the score is over what was checked.
* A rule marked "not trusted" (autoqa.trust) is left out of the score: its item is left
  unanswered, as if it had no rule, rather than N/A (N/A would claim the item did not apply).
  Its verdict is still kept as a Suggestion (`used` False) so its agreement keeps being measured.
* A check that cannot tell (interruptions on a mono call, silence in an email) leaves its item
  unanswered too.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from autoqa import rules as checks
from autoqa import spotlights, utterances
from autoqa.models import ItemRule, PhraseList, Suggestion
from qa import scoring_sessions, services
from qa.models import Answer, Evaluation
from scorecards.models import Item
from scorecards.services import load_structure, spec_for

AUTOMATIC_USERNAME = "automatic-checks"
NA = "N/A"


def automatic_evaluator():
    """The account automatic evaluations are recorded under: it cannot sign in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=AUTOMATIC_USERNAME,
        defaults={"first_name": "Automatic", "last_name": "checks", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def spec_of(rule: ItemRule) -> checks.RuleSpec:
    return checks.RuleSpec(
        check=rule.kind, phrases=tuple(rule.phrase_list), min_similarity=rule.min_similarity,
        speaker=rule.speaker, window=rule.window, window_seconds=rule.window_seconds,
        limit_seconds=rule.limit_seconds, ratio_min=rule.ratio_min, ratio_max=rule.ratio_max,
        max_interruptions=rule.max_interruptions, require_all=rule.require_all)


def answer_for(rule: ItemRule, verdict: checks.Verdict) -> tuple[str, bool] | None:
    """(value, na) the rule gives for this verdict, or None when it leaves the item unanswered."""
    if verdict.passed is None:
        return None
    value = rule.pass_value if verdict.passed else rule.fail_value
    if not value:
        return None
    if value == NA:
        return "", True
    return value, False


def rules_by_item(version, sections=None) -> dict[int, tuple[Item, ItemRule]]:
    """The version's items that carry an active rule (matched by question), by item id."""
    sections = load_structure(version) if sections is None else sections
    rules = {r.question: r for r in ItemRule.objects.filter(scorecard_id=version.scorecard_id, active=True)}
    return {item.pk: (item, rules[item.question]) for section in sections for item in section.items.all()
            if item.question in rules}


def choose_version(interaction):
    """The published scorecard the interaction would be scored with: of the ones a reviewer may
    choose (qa.scoring_sessions.candidate_versions), the first that has automatic checks."""
    candidates = list(scoring_sessions.candidate_versions(interaction).order_by("scorecard__name"))
    with_rules = set(ItemRule.objects.filter(active=True, scorecard__in=[v.scorecard_id for v in candidates])
                     .values_list("scorecard_id", flat=True))
    return next((v for v in candidates if v.scorecard_id in with_rules), None)


def verdicts(version, said, sections=None) -> dict[int, tuple[Item, ItemRule, checks.Verdict]]:
    return {item_id: (item, rule, checks.evaluate(spec_of(rule), said))
            for item_id, (item, rule) in rules_by_item(version, sections).items()}


def _cached(cache, key, compute):
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _structure(version):
    sections = load_structure(version)
    return spec_for(version, sections), rules_by_item(version, sections)


@transaction.atomic
def evaluate_interaction(interaction, *, version=None, said=None, cache: dict | None = None) -> Evaluation | None:
    """Check the interaction and store (or rewrite) its automatic evaluation. Also refreshes its
    spotlights. Returns None when there is nothing to check or no scorecard with checks.

    `cache` (a dict kept for one batch, autoqa.backlog) holds what every interaction of the batch
    shares: the scorecard chosen per channel, its structure and rules, the phrase alerts."""
    said = utterances.for_interaction(interaction) if said is None else said
    lists = _cached(cache, "lists", lambda: list(PhraseList.objects.filter(active=True)))
    spotlights.refresh(interaction, said, lists)
    if not said:
        return None
    version = version or _cached(cache, ("version", interaction.channel), lambda: choose_version(interaction))
    if version is None:
        return None
    spec, rules = _cached(cache, ("structure", version.pk), lambda: _structure(version))
    found = {item_id: (item, rule, checks.evaluate(spec_of(rule), said)) for item_id, (item, rule) in rules.items()}
    if not found:
        return None
    evaluation = (Evaluation.objects.select_for_update()
                  .filter(interaction=interaction, source=Evaluation.Source.AUTOMATIC).first())
    now = timezone.now()
    if evaluation is not None and evaluation.version_id != version.pk:
        evaluation.delete()
        evaluation = None
    if evaluation is None:
        evaluation = Evaluation.objects.create(
            version=version, employee=interaction.employee, location=interaction.location,
            channel=interaction.channel, source=Evaluation.Source.AUTOMATIC, interaction_at=interaction.occurred_at,
            evaluator=_cached(cache, "user", automatic_evaluator), interaction=interaction, status=Evaluation.Status.RELEASED,
            submitted_at=now, released_at=now)
    answers, suggestions = {}, []
    for item_id, (item, rule, verdict) in found.items():
        given = answer_for(rule, verdict)
        value, na = given if given is not None else ("", False)
        note = verdict.note[:500]
        suggestions.append(Suggestion(evaluation=evaluation, item=item, rule=rule, value=value, na=na,
                                      used=rule.trusted, note=note,
                                      evidence=[m.as_dict() for m in verdict.moments[:10]]))
        if given is not None and rule.trusted:
            answers[item_id] = services.AnswerData(value=value, na=na, comment=note)
    Answer.objects.filter(evaluation=evaluation).exclude(item_id__in=list(answers)).delete()
    services.save_answers(evaluation, answers, spec)
    Suggestion.objects.filter(evaluation=evaluation).delete()
    Suggestion.objects.bulk_create(suggestions)
    evaluation.comments = _("Suggested by the automatic checks; items without a trusted check are left unanswered.")
    services.score_and_store(evaluation, spec)
    return evaluation
