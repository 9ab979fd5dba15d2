"""Plain builder functions for test data, so each test states only what matters to it."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group
from django.utils import timezone

from qa import roles
from qa.models import Answer, Evaluation, User
from qa.services import score_and_store
from scorecards.models import AnswerType, Channel, Item, Scorecard, ScorecardVersion, Section
from scorecards.services import publish
from shops.models import Employee, Location, Region, Shopper

_seq = count(1)

PASSWORD = "a-long-test-password-42"


def make_user(username, *role_names, **fields):
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    for role in role_names:
        user.groups.add(Group.objects.get(name=role))
    if roles.ADMINISTRATOR in role_names:
        user.is_staff = True
        user.save()
    return user


def make_region(name=None):
    n = next(_seq)
    return Region.objects.create(name=name or f"Region {n}", code=f"r{n}")


def make_location(region, **fields):
    n = next(_seq)
    fields.setdefault("name", f"Store {n}")
    fields.setdefault("code", f"L{n}")
    return Location.objects.create(region=region, **fields)


def make_employee(location, user=None, **fields):
    n = next(_seq)
    fields.setdefault("name", f"Employee {n}")
    return Employee.objects.create(location=location, employee_code=f"E{n}", user=user, **fields)


def make_shopper(username):
    user = make_user(username, roles.SHOPPER)
    Shopper.objects.create(user=user)
    return user


def make_scorecard(name=None, *, publish_it=True, user=None, sections=None, channel=Channel.STORE_VISIT):
    """A small scorecard. `sections` is [(name, weight, [item kwargs...])]."""
    scorecard = Scorecard.objects.create(name=name or f"Scorecard {next(_seq)}", channel=channel)
    version = ScorecardVersion.objects.create(scorecard=scorecard, number=1)
    sections = sections or [
        ("Courtesy", 2, [
            {"question": "Greeted the customer", "answer_type": AnswerType.YES_NO},
            {"question": "Never argued", "answer_type": AnswerType.YES_NO, "critical": True},
        ]),
        ("Accuracy", 1, [
            {"question": "Explained the return policy", "answer_type": AnswerType.YES_PARTIAL_NO, "weight": 2},
            {"question": "Anticipated a question", "answer_type": AnswerType.YES_NO, "na_allowed": True},
        ]),
    ]
    for s_order, (section_name, weight, items) in enumerate(sections, start=1):
        section = Section.objects.create(version=version, name=section_name, weight=Decimal(weight), order=s_order)
        for i_order, item in enumerate(items, start=1):
            Item.objects.create(section=section, order=i_order, **item)
    if publish_it:
        publish(version, user)
        version.refresh_from_db()
    return version


CALL_SECTIONS = [
    ("Courtesy", 1, [
        {"question": "Greeted the caller", "answer_type": AnswerType.YES_NO},
        {"question": "Tone", "answer_type": AnswerType.SCALE_5},
    ]),
    ("Follow-through", 1, [
        {"question": "Acknowledged in time", "answer_type": AnswerType.YES_NO, "na_allowed": True,
         "auto_answer": "acknowledged_in_time"},
        {"question": "Resolved in time", "answer_type": AnswerType.YES_NO, "na_allowed": True,
         "auto_answer": "resolved_in_time"},
    ]),
]


def make_call_scorecard(user=None, name="Calls"):
    """A phone-call scorecard with two items the interaction's times answer."""
    return make_scorecard(name, user=user, sections=CALL_SECTIONS, channel=Channel.PHONE_CALL)


def make_evaluation(version, location, evaluator, answers, *, employee=None, status=Evaluation.Status.RELEASED,
                    source=Evaluation.Source.REVIEWER, days_ago=1, **fields):
    """answers: {question: value or "N/A"}; scored with the engine and stored, as the workflow does."""
    evaluation = Evaluation.objects.create(
        version=version, location=location, employee=employee, evaluator=evaluator, status=status,
        source=source, channel=version.scorecard.channel,
        interaction_at=timezone.now() - timedelta(days=days_ago), **fields,
    )
    items = {i.question: i for i in Item.objects.filter(section__version=version)}
    Answer.objects.bulk_create(
        Answer(evaluation=evaluation, item=items[q], value="" if v == "N/A" else v, na=(v == "N/A"))
        for q, v in answers.items()
    )
    score_and_store(evaluation)
    evaluation.refresh_from_db()
    return evaluation


ALL_GOOD = {
    "Greeted the customer": "yes",
    "Never argued": "yes",
    "Explained the return policy": "yes",
    "Anticipated a question": "yes",
}
