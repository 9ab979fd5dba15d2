"""Automatic QA in reports: which evaluations a report reads by its source filter, and the coverage
of interactions (share scored automatically, by people, both) shown on the dashboard.

People's figures stay people's: a report reads shoppers' and reviewers' evaluations
(qa.models.EvaluationQuerySet.counted) unless its source filter picks another source, such as
"Automatic", and then it reads that source only."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from qa import roles, scoping
from qa.filters import day_start
from qa.models import PEOPLE_SOURCES, Evaluation
from reports.extensions import ReportTable

OTHER_SOURCES = [value for value, _label in Evaluation.Source.choices if value not in PEOPLE_SOURCES]


def sources_in(params) -> list | None:
    """The sources a report reads for these URL parameters: None (people's) unless it asks for another."""
    source = params.get("source") if hasattr(params, "get") else None
    if isinstance(source, list):
        source = source[0] if source else None
    return [source] if source in OTHER_SOURCES else None


def counted(user, params):
    return scoping.counted_for(user, sources_in(params))


def company_counted(params):
    return Evaluation.objects.counted(sources_in(params))


def figures(user, cleaned: dict) -> dict | None:
    """Interactions in the viewer's reach under the report's filters (dates, places, channel), with how
    many have an automatic evaluation, a reviewer's released one, and both. For QA staff only: the
    automatic checks are theirs to judge."""
    if not roles.is_qa_staff(user):
        return None
    interactions = scoping.interactions_for(user)
    if cleaned.get("date_from"):
        interactions = interactions.filter(occurred_at__gte=day_start(cleaned["date_from"]))
    if cleaned.get("date_to"):
        from datetime import timedelta

        interactions = interactions.filter(occurred_at__lt=day_start(cleaned["date_to"] + timedelta(days=1)))
    for name, lookup in (("region", "location__region"), ("location", "location"), ("employee", "employee"),
                         ("channel", "channel")):
        if cleaned.get(name):
            interactions = interactions.filter(**{lookup: cleaned[name]})
    of_interaction = Evaluation.objects.filter(interaction=OuterRef("pk"), is_calibration=False,
                                               status=Evaluation.Status.RELEASED)
    totals = interactions.annotate(
        has_auto=Exists(of_interaction.filter(source=Evaluation.Source.AUTOMATIC)),
        has_people=Exists(of_interaction.filter(source=Evaluation.Source.REVIEWER)),
    ).aggregate(total=Count("pk"), auto=Count("pk", filter=Q(has_auto=True)), people=Count("pk", filter=Q(has_people=True)),
                both=Count("pk", filter=Q(has_auto=True, has_people=True)))
    total = totals["total"]

    def share(n):
        return None if not total else round(100 * n / total, 1)

    return {**totals, "auto_share": share(totals["auto"]), "people_share": share(totals["people"]),
            "both_share": share(totals["both"])}


def table(figures_: dict | None):
    """The coverage block as a table for the dashboard's PDF and Excel exports: the very figures
    `figures` gives the page (shares in %, with counts out of the same total), or None for viewers
    who do not see the automatic source."""
    if figures_ is None:
        return None
    total = figures_["total"]
    rows = [] if not total else [
        [_("Scored automatically"), figures_["auto"], total, figures_["auto_share"]],
        [_("Scored by reviewers"), figures_["people"], total, figures_["people_share"]],
        [_("Scored both ways"), figures_["both"], total, figures_["both_share"]],
    ]
    return ReportTable(
        key="coverage", title=_("Coverage of interactions"),
        columns=[_("Scored"), _("Interactions (n)"), _("Of interactions in reach (n)"), _("Share (%)")], rows=rows,
        note=_("Interactions in the dates and places chosen, with a released automatic evaluation, a reviewer's "
             "released evaluation, or both (both: what the checks' trust is measured on). People's figures "
             "never include automatic scores."),
        empty=_("No interactions in the dates and places chosen. Interactions are scored automatically once "
              "transcribed (calls) or saved (emails, chats, posts)."))
