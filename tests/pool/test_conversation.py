"""Messages between the QA desk and the shopper on a report: who may read and write, the e-mail to the other
side, read state, badges, and the report's history."""

import pytest
from django.core import mail
from django.urls import reverse

from pool import conversation as talk
from pool.models import ReportMessage
from tests.pool.conversation_helpers import submitted_report, with_emails


@pytest.fixture
def report(world):
    with_emails(world)
    return submitted_report(world)


def test_question_and_answer_with_e_mail_read_state_and_badge(world, client_for, report,
                                                                django_capture_on_commit_callbacks):
    assignment = report.assignment
    client = client_for(world.reviewer)
    page = client.get(reverse("validation-detail", args=[report.pk]))
    assert b"Messages with the shopper" in page.content and b"Ask the shopper here" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pool:messages", args=[assignment.pk]), {"body": "Which till did you use?"})
    assert response.status_code == 302 and response.url.endswith(f"/validation/{report.pk}/#conversation")
    assert [m.to for m in mail.outbox] == [["shopper@example.com"]]
    assert reverse("shopper-report", args=[assignment.pk]) in mail.outbox[0].body

    client = client_for(world.shopper)
    home = client.get(reverse("home")).content.decode()  # the home page says so, with a link
    assert "The QA team wrote to you about a report" in home
    assert f'{reverse("shopper-report", args=[assignment.pk])}#conversation' in home
    listing = client.get(reverse("shopper-reports"))
    assert b"New message" in listing.content
    # The service worker's copy of the page for offline use (a background fetch) is not the shopper reading it.
    client.get(reverse("shopper-report", args=[assignment.pk]), headers={"Sec-Fetch-Mode": "cors"})
    assert ReportMessage.objects.get().read_at is None
    page = client.get(reverse("shopper-report", args=[assignment.pk]), headers={"Sec-Fetch-Mode": "navigate"})
    assert b"Which till did you use?" in page.content and b"QA team" in page.content
    assert b"reviewer" not in page.content.lower().split(b"messages with the qa team")[1].split(b"</section>")[0]
    assert ReportMessage.objects.get().read_at is not None
    assert b"New message" not in client.get(reverse("shopper-reports")).content
    assert "The QA team wrote to you" not in client.get(reverse("home")).content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pool:messages", args=[assignment.pk]), {"body": "Till 3, by the door."})
    assert response.url.endswith(f"/visits/{assignment.pk}/#conversation")
    # The reviewer who asked hears of the answer, with a link to the validation page.
    assert [m.to for m in mail.outbox] == [["reviewer@example.com"]]
    assert reverse("validation-detail", args=[report.pk]) in mail.outbox[0].body
    answer = ReportMessage.objects.get(body="Till 3, by the door.")
    assert answer.read_at is None

    client = client_for(world.lead)
    assert b"1 new message" in client.get(reverse("pool:appeals")).content
    history = client.get(reverse("validation-detail", args=[report.pk])).content.decode()
    answer.refresh_from_db()
    assert answer.read_at is not None
    section = history.split('id="report-history"')[1]
    assert "Message to the shopper · reviewer: Which till did you use?" in section
    assert "Message from the shopper · shopper: Till 3, by the door." in section


def test_empty_and_too_long_messages_are_refused_with_the_text_kept(world, client_for, report):
    client = client_for(world.shopper)
    url = reverse("pool:messages", args=[report.assignment.pk])
    response = client.post(url, {"body": "   "})
    assert response.status_code == 422 and b"Write a message before sending it." in response.content
    long = "x" * (talk.MESSAGE_MAX + 1)
    response = client.post(url, {"body": long})
    assert response.status_code == 422 and b"Keep the message under 4000 characters" in response.content
    assert long.encode() in response.content
    assert not ReportMessage.objects.exists()


def test_an_empty_message_from_the_panel_comes_back_to_the_validation_page(world, client_for, report):
    client = client_for(world.reviewer)
    url = reverse("pool:messages", args=[report.assignment.pk])
    response = client.post(url, {"body": "  ", "from_panel": "1"})
    assert response.status_code == 302 and response.url.endswith(f"/validation/{report.pk}/#conversation")
    page = client.get(response.url).content.decode()
    panel = page.split('id="conversation"')[1]
    # Once in the panel form's summary (which the page opens at) and once under the field: not a third time in
    # an alert above the page.
    assert "is-invalid" in panel and "data-error-summary" in panel
    assert page.count("Write a message before sending it.") == panel.count("Write a message before sending it.") == 2
    long = "y" * (talk.MESSAGE_MAX + 1)
    client.post(url, {"body": long, "from_panel": "1"})
    assert long in client.get(reverse("validation-detail", args=[report.pk])).content.decode()  # text kept
    again = client.get(reverse("validation-detail", args=[report.pk])).content.decode()
    assert long not in again and "Keep the message under" not in again  # shown once
    assert not ReportMessage.objects.exists()


def test_only_the_reports_shopper_and_qa_staff_reach_the_conversation(world, client_for, report):
    url = reverse("pool:messages", args=[report.assignment.pk])
    for persona, status in [("shopper", 200), ("reviewer", 200), ("lead", 200), ("admin", 200),
                            ("other_shopper", 404), ("manager_a", 403), ("employee", 403)]:
        assert client_for(getattr(world, persona)).get(url).status_code == status, persona
    assert client_for(world.other_shopper).post(url, {"body": "hi"}).status_code == 404
    assert client_for(world.manager_a).post(url, {"body": "hi"}).status_code == 403
    assert not ReportMessage.objects.exists()
    # Another shopper's report page never shows the panel, and a manager cannot post through the service.
    with pytest.raises(Exception):
        talk.post_message(report.assignment, world.manager_a, "hi")


def test_a_visit_without_a_report_has_no_conversation(world, client_for):
    from tests.visits_helpers import make_assignment
    assignment = make_assignment(world)
    assert client_for(world.reviewer).get(reverse("pool:messages", args=[assignment.pk])).status_code == 404


def test_appeals_are_in_the_qa_desks_menu_only(world, client_for):
    def labels(user):
        items = client_for(user).get(reverse("home")).context["nav_items"]
        return [str(c["label"]) for e in items for c in [e, *e["children"]]]

    assert "Appeals" in labels(world.reviewer) and "Appeals" in labels(world.admin)
    assert "Appeals" not in labels(world.shopper) and "Appeals" not in labels(world.manager_a)
