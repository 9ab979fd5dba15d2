"""Business rules for scorecards: building, publishing, versioning, retiring,
and turning a stored version into the engine's plain structure."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from scorecards import scoring
from scorecards.models import MAX_SECTIONS, Item, Scorecard, ScorecardVersion, Section


def load_structure(version: ScorecardVersion) -> list[Section]:
    """A version's sections with their items, in order, in two queries."""
    return list(
        version.sections.order_by("order", "pk").prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("order", "pk"))
        )
    )


def item_ids_in_order(version_ids) -> dict[int, list[int]]:
    """Each version's item ids in the order of load_structure (and so of spec_for):
    the order Evaluation.answer_values is written in."""
    order: dict[int, list[int]] = {}
    for version_id, item_id in Item.objects.filter(section__version__in=version_ids).order_by(
            "section__order", "section__pk", "order", "pk").values_list("section__version_id", "pk"):
        order.setdefault(version_id, []).append(item_id)
    return order


def sections_in_order(version_ids) -> dict[int, list[tuple[int, str]]]:
    """Each version's sections (id, name) in the order of load_structure: the Nth is
    stored in Evaluation.section_score_N."""
    order: dict[int, list[tuple[int, str]]] = {}
    for version_id, section_id, name in Section.objects.filter(version__in=version_ids).order_by(
            "order", "pk").values_list("version_id", "pk", "name"):
        order.setdefault(version_id, []).append((section_id, name))
    return order


def spec_for(version: ScorecardVersion, sections: list[Section] | None = None) -> scoring.ScorecardSpec:
    sections = load_structure(version) if sections is None else sections
    return scoring.ScorecardSpec(
        sections=tuple(
            scoring.SectionSpec(
                id=section.pk,
                name=section.name,
                weight=section.weight,
                items=tuple(
                    scoring.ItemSpec(
                        id=item.pk,
                        answer_type=item.answer_type,
                        weight=item.weight,
                        critical=item.critical,
                        na_allowed=item.na_allowed,
                        thresholds=tuple(item.thresholds or ()),
                        direction=item.number_direction,
                        question=item.question,
                    )
                    for item in section.items.all()
                ),
            )
            for section in sections
        )
    )


def publication_problems(version: ScorecardVersion) -> list[str]:
    """Everything that stops a draft from being published, as sentences for its author."""
    problems = []
    sections = load_structure(version)
    if not sections:
        problems.append(_("Add at least one section."))
    if len(sections) > MAX_SECTIONS:
        problems.append(_("A scorecard version has at most %(max)s sections; this one has %(count)s.")
                        % {"max": MAX_SECTIONS, "count": len(sections)})
    scored_items = 0
    for section in sections:
        items = list(section.items.all())
        if not items:
            problems.append(_("Section “%(name)s” has no items.") % {"name": section.name})
        for item in items:
            if item.is_scored:
                scored_items += 1
            errors = scoring.validate_item_definition(
                answer_type=item.answer_type, critical=item.critical, thresholds=item.thresholds,
                direction=item.number_direction,
            )
            for message in errors.values():
                problems.append(
                    _("Section “%(section)s”, item “%(item)s”: %(message)s")
                    % {"section": section.name, "item": item.question, "message": message}
                )
    if sections and not scored_items:
        problems.append(_("Add at least one scored item: free-text items alone give no score."))
    return problems


@transaction.atomic
def publish(version: ScorecardVersion, user) -> ScorecardVersion:
    """Freeze a draft. The version published before it (if any) is retired, so a
    scorecard has one current version; evaluations keep pointing at the one they used."""
    version = ScorecardVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ScorecardVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = publication_problems(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    for previous in ScorecardVersion.objects.filter(
        scorecard=version.scorecard, status=ScorecardVersion.Status.PUBLISHED
    ):
        previous.status = ScorecardVersion.Status.RETIRED
        previous.retired_at = now
        previous.save()
    version.status = ScorecardVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = user
    version.save()
    return version


@transaction.atomic
def retire(version: ScorecardVersion) -> ScorecardVersion:
    if version.status != ScorecardVersion.Status.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."))
    version.status = ScorecardVersion.Status.RETIRED
    version.retired_at = timezone.now()
    version.save()
    return version


@transaction.atomic
def start_new_version(scorecard: Scorecard) -> ScorecardVersion:
    """The draft to edit: the existing draft if there is one, else a copy of the newest version."""
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    existing = scorecard.versions.filter(status=ScorecardVersion.Status.DRAFT).first()
    if existing:
        return existing
    source = scorecard.versions.order_by("-number").first()
    number = (scorecard.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ScorecardVersion.objects.create(scorecard=scorecard, number=number)
    if source is not None:
        copy_structure(source, draft)
    return draft


def copy_structure(source: ScorecardVersion, target: ScorecardVersion) -> None:
    for section in load_structure(source):
        new_section = Section.objects.create(
            version=target, name=section.name, description=section.description,
            weight=section.weight, order=section.order,
        )
        Item.objects.bulk_create(
            Item(
                section=new_section, question=item.question, guidance=item.guidance,
                policy_reference=item.policy_reference, answer_type=item.answer_type, weight=item.weight,
                na_allowed=item.na_allowed, critical=item.critical, order=item.order,
                number_unit=item.number_unit, number_direction=item.number_direction,
                thresholds=item.thresholds, kpi=item.kpi, auto_answer=item.auto_answer,
            )
            for item in section.items.all()
        )


@transaction.atomic
def create_scorecard(*, name: str, channel: str, description: str = "") -> Scorecard:
    scorecard = Scorecard.objects.create(name=name, channel=channel, description=description)
    ScorecardVersion.objects.create(scorecard=scorecard, number=1)
    return scorecard


def next_order(queryset) -> int:
    return (queryset.aggregate(n=Max("order"))["n"] or 0) + 1


def move(obj, siblings, direction: str) -> bool:
    """Swap an ordered section or item with its neighbour. Returns False at either end."""
    ordered = list(siblings.order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    with transaction.atomic():
        for position, sibling in enumerate(ordered, start=1):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order"])
    return True
