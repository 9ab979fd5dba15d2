"""Words and pages a tester found wrong walking the shopper's job on a phone: required fields
marked, no internal wording (scorecard version numbers, policy references, units said twice),
offers shown like accepted visits, a returned report that says it can be revised, why a visit
cannot be declined, the error summary's promise true on forms with passwords, the page's
language, and the reviewer's link to the validation queue."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa import visits
from qa.answer_fields import guidance_text
from qa.visit_forms import VisitReportForm
from scorecards.models import AnswerType, Item
from tests.visits_helpers import make_assignment, payload

pytestmark = pytest.mark.django_db


def test_required_visit_fields_are_marked(world, client_for):
    assignment = make_assignment(world)
    body = client_for(world.shopper).get(reverse("visit-report", args=[assignment.pk])).content.decode()
    for label in ("Employee who served you", "Or describe them", "Your visit in your own words"):
        assert re.search(re.escape(label) + r'<span class="asteriskField">\*</span>', body), label
    assert "one of these two" in body


def test_no_internal_wording_on_the_shoppers_report(world, client_for):
    assignment = make_assignment(world)
    body = client_for(world.shopper).get(reverse("visit-report", args=[assignment.pk])).content.decode()
    assert f"{assignment.version.scorecard.name} v" not in body
    assert assignment.version.scorecard.name in body
    form = VisitReportForm(assignment=assignment)
    item = Item(pk=90003, question="Greeted", answer_type=AnswerType.YES_NO, policy_reference="Policy template IV.A")
    form._add_item_fields(item)
    assert "Policy template IV.A" not in str(form.fields["item_90003"].help_text)
    assert "Policy template IV.A" in guidance_text(item)  # reviewers keep it


def test_a_unit_the_question_names_is_not_said_twice(world):
    form = VisitReportForm(assignment=make_assignment(world))
    waited = Item(pk=90001, question="Minutes you waited before someone served you", answer_type=AnswerType.NUMBER,
                  number_unit="minutes")
    spent = Item(pk=90002, question="Time at the till", answer_type=AnswerType.NUMBER, number_unit="minutes")
    form._add_item_fields(waited)
    form._add_item_fields(spent)
    assert str(form.fields["item_90001"].label) == "Minutes you waited before someone served you"
    assert str(form.fields["item_90002"].label) == "Time at the till (minutes)"


def test_offers_show_weekdays_address_and_map(world, client_for):
    today = timezone.localdate()
    offer = make_assignment(world, accepted=False, window_start=today + timedelta(days=2),
                            window_end=today + timedelta(days=4))
    body = client_for(world.shopper).get(reverse("home")).content.decode()
    start = (today + timedelta(days=2)).strftime("%a ") + str((today + timedelta(days=2)).day)
    assert start in body
    assert offer.location.address in body
    assert "Open in maps" in body


def test_a_visit_whose_window_started_says_why_it_cannot_be_declined(world, client_for):
    make_assignment(world, window_start=timezone.localdate())
    body = client_for(world.shopper).get(reverse("home")).content.decode()
    assert "Decline this visit" not in body
    assert "window has started: to cancel, contact the QA team." in body


def test_a_returned_report_says_it_can_be_revised(world, client_for):
    assignment = make_assignment(world)
    client = client_for(world.shopper)
    client.post(reverse("visit-report", args=[assignment.pk]), payload(assignment))
    from qa.models import VisitReport
    report = VisitReport.objects.get(assignment=assignment)
    visits.return_report(report, by=world.reviewer, note="Add the receipt.", deadline=timezone.now() + timedelta(days=2))
    body = client.get(reverse("shopper-report", args=[assignment.pk])).content.decode()
    assert "It cannot be changed here" not in body
    assert "Revise the report" in body
    revise = client.get(reverse("visit-report", args=[assignment.pk])).content.decode()
    assert "Set to when you opened this report" not in revise
    assert "The arrival time you sent" in revise


def test_the_login_summary_does_not_promise_to_keep_the_password(db, client):
    body = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert "error-summary" in body
    assert "Everything you typed is kept." not in body
    assert "except passwords" in body


def test_the_page_language_is_the_active_one(world, client_for):
    body = client_for(world.shopper).get(reverse("home")).content.decode()
    assert '<html lang="en-gb">' in body


def test_the_reviewers_home_links_to_the_validation_queue(world, client_for):
    body = client_for(world.reviewer).get(reverse("home")).content.decode()
    link = re.search(r'href="([^"]+)">Reports awaiting validation', body).group(1)
    assert link == reverse("validation-queue")
