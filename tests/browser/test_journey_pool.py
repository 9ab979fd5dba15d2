"""A pool shopper's month on a 360x740 phone, in real Chromium (issue 18 item 8): the job board refuses the
nearest visits for a missing quiz and links to "My qualifications"; the shopper passes the quiz, claims the first
visit to Store A, and is refused the second within the programme's 30-day lockout, in the second person, by the
board and by the claim itself; answers the reviewer's question on a report sent earlier (the reviewer is
e-mailed); and, once an administrator marks the pay batch paid, finds the payment with its visit, amount and day.
Everything is found by its visible label or role; what the person reads and what the database then holds are both
checked. The board, the qualifications and the payments are then read again at a desktop's size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from pool import board
from pool import conversation as talk
from pool import pay
from pool.models import (Choice, Credential, PaymentBatch, Programme, ProgrammeScorecard, Qualification, Question,
                         Quiz, ReportMessage, ShopperProfile)
from qa import formats, visits
from shops.models import Assignment
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, new_page, open_menu_item, seen_text, tidy
from tests.pool.conversation_helpers import with_emails
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)

HOME = (Decimal("53.800000"), Decimal("-1.550000"))  # Leeds
STORE_A = (Decimal("53.801500"), Decimal("-1.548000"))  # a few hundred metres away
BRADFORD = (Decimal("53.795800"), Decimal("-1.759400"))  # about 14 km
QUESTION = "Which till did you pay at, and who served you there?"
ANSWER = "Till 3, by the door: Ann served me."


def placed(location, point):
    location.latitude, location.longitude = point
    location.save()
    return location


def pool_visit(world, location, fee, starts, days):
    """An open visit offered to the whole pool, at its own fee and window."""
    today = timezone.localdate()
    visit = make_assignment(world, accepted=False, pool=True, location=location,
                            window_start=today + timedelta(days=starts),
                            window_end=today + timedelta(days=starts + days))
    Assignment.objects.filter(pk=visit.pk).update(fee=Decimal(fee))
    visit.refresh_from_db()
    return visit


def make_quiz():
    """Three questions, pass mark 60%: the "Store visit certification" a programme can require."""
    qualification = Qualification.objects.create(name="Store visit certification", kind="quiz", valid_months=12)
    quiz = Quiz.objects.create(qualification=qualification, pass_percent=60, max_attempts=2, cooling_off_days=7)
    for position, (text, choices) in enumerate([
        ("Where do you take notes?", [("In the store", False), ("Outside, afterwards", True)]),
        ("When do you arrive?", [("Within the visit's window", True), ("Any day that suits you", False)]),
        ("Who may know you are shopping?", [("Nobody in the store", True), ("The store's manager", False)]),
    ]):
        question = Question.objects.create(quiz=quiz, text=text, position=position)
        for order, (choice, correct) in enumerate(choices):
            Choice.objects.create(question=question, text=choice, correct=correct, position=order)
    return quiz


@pytest.fixture
def month(world):
    """Store A near the shopper's home with two open visits of the programme, one more in Bradford; a report sent
    on which the reviewer asked a question; an approved visit in a pay batch exported but not paid yet. The
    programme (first come, 30 days between visits to a location, the quiz required) is set up last: the visits
    made before it were taken when it did not apply."""
    with_emails(world)
    placed(world.location_a, STORE_A)
    placed(world.location_b, BRADFORD)
    bradford = placed(f.make_location(world.region_b, name="Store Bradford"), BRADFORD)
    ShopperProfile.objects.create(shopper=world.shopper.shopper, home_latitude=HOME[0], home_longitude=HOME[1],
                                  travel_km=40, payment_method="paypal", paypal_email="shopper@example.com")

    sent = make_assignment(world, location=world.location_b)
    report, _ = visits.submit_visit_report(sent, world.shopper, visit_data(sent), "sent")
    talk.post_message(sent, world.reviewer, QUESTION)

    earned = make_assignment(world, location=world.location_b, window_start=timezone.localdate() - timedelta(days=9))
    Assignment.objects.filter(pk=earned.pk).update(fee=Decimal("32.50"))
    approved, _ = visits.submit_visit_report(earned, world.shopper, visit_data(earned, minutes_ago=60 * 24 * 8), "e")
    visits.approve(approved, by=world.reviewer)
    today = timezone.localdate()
    batch, _ = pay.create_batch(method="paypal", date_from=today, date_to=today, by=world.admin,
                                tz=timezone.get_current_timezone())
    pay.export(batch, by=world.admin)

    quiz = make_quiz()
    programme = Programme.objects.create(name="High street visits", claim_rule=Programme.ClaimRule.FIRST_COME,
                                         lockout_days=30, max_open_visits=3)
    ProgrammeScorecard.objects.create(programme=programme, scorecard=world.version.scorecard)
    programme.required_qualifications.add(quiz.qualification)
    return {
        "first": pool_visit(world, world.location_a, "27.50", starts=1, days=4),
        "second": pool_visit(world, world.location_a, "31.00", starts=8, days=4),
        "bradford": pool_visit(world, bradford, "40.00", starts=2, days=5),
        "sent": sent, "earned": earned, "batch": batch, "quiz": quiz, "programme": programme,
    }


def window(visit):
    return f"{formats.day(visit.window_start)} – {formats.day(visit.window_end)}"


def card_of(page, visit, fee):
    """The board's card for a visit, told apart by what the shopper reads: its place, fee and window."""
    return page.locator("article.card").filter(has_text=visit.location.name).filter(has_text=fee).filter(
        has_text=window(visit))


def test_pool_shopper_qualifies_claims_answers_and_is_paid(page, browser, live_server, world, month):
    first, second = month["first"], month["second"]
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "shopper", f.PASSWORD)

    # The board, from the menu: Store A's two visits first (nearest, earliest window first), then Bradford's;
    # each refused for the missing quiz, with a link to "My qualifications".
    open_menu_item(page, "Job board")
    page.get_by_role("heading", name="Job board").wait_for()
    assert "Nearest first from your home." in seen_text(page, "main")
    cards = page.locator("article.card")
    names = [tidy(t).split(" £")[0] for t in cards.locator("h2").all_inner_texts()]
    # Each named with its code (Location.__str__), as wherever the pool names a location.
    assert names == [str(first.location), str(first.location), str(month["bradford"].location)]
    first_card = card_of(page, first, "£27.50")
    near = f"{board.distance_km(*HOME, *STORE_A):.1f} km away"
    assert tidy(first_card.inner_text()).startswith(f"{first.location} £27.50 {near} · {window(first)}")
    assert "First come" in first_card.inner_text() and "High street visits" in first_card.inner_text()
    refusal = first_card.locator("[data-refusals]")
    assert tidy(refusal.inner_text()).startswith(
        "You cannot take this visit yet: You need this qualification for High street visits: Store visit "
        "certification")
    assert first_card.get_by_role("button", name="Claim this visit").count() == 0
    farther = f"{board.distance_km(*HOME, *BRADFORD):.1f} km away"
    assert farther in card_of(page, month["bradford"], "£40.00").inner_text()
    assert_reads_well(page)

    # The quiz, on the phone, answered right.
    first_card.get_by_role("link", name="My qualifications").click()
    page.get_by_role("heading", name="My qualifications").wait_for()
    course = page.locator("section", has=page.get_by_role("heading", name="Store visit certification"))
    assert "Not held" in course.inner_text() and "Needed for: High street visits" in course.inner_text()
    assert "2 attempts left. Pass mark 60%." in tidy(course.inner_text())
    assert_reads_well(page)
    course.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("heading", name="Quiz: Store visit certification").wait_for()
    assert "3 questions. Pass mark 60%." in seen_text(page, "main")
    for question, answer in [("Where do you take notes?", "Outside, afterwards"),
                             ("When do you arrive?", "Within the visit's window"),
                             ("Who may know you are shopping?", "Nobody in the store")]:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    assert_reads_well(page)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Your result: Store visit certification").wait_for()
    assert "100% · Passed" in seen_text(page, "[data-result]")
    assert "You passed: Store visit certification is yours." in seen_text(page, "main")
    assert Credential.objects.get(shopper=world.shopper.shopper).status == "approved"
    page.get_by_role("link", name="My qualifications").first.click()
    course = page.locator("section", has=page.get_by_role("heading", name="Store visit certification"))
    assert "Held" in course.inner_text()

    # The board again: the first Store A visit is claimed.
    open_menu_item(page, "Job board")
    first_card = card_of(page, first, "£27.50")
    assert first_card.locator("[data-refusals]").count() == 0
    first_card.get_by_role("button", name="Claim this visit").click()
    page.get_by_text(f"The visit to {first.location} is yours.").wait_for()
    first.refresh_from_db()
    assert first.status == Assignment.Status.ACCEPTED and first.shopper.user == world.shopper

    # The second Store A visit: refused within the lockout, in the second person, on the board and by the claim.
    open_menu_item(page, "Job board")
    assert page.locator("article.card").filter(has_text=window(first)).count() == 0  # no longer open
    second_card = card_of(page, second, "£31.00")
    lockout = (f"You already have a visit to Store A for High street visits ({formats.date(first.window_start)} to "
               f"{formats.date(first.window_end)}); this programme allows one visit to a location every 30 days.")
    assert second_card.locator("[data-refusals]").count() == 1
    assert lockout in tidy(second_card.locator("[data-refusals]").inner_text())
    assert second_card.get_by_role("button", name="Claim this visit").count() == 0
    bradford_card = card_of(page, month["bradford"], "£40.00")
    assert bradford_card.get_by_role("button", name="Claim this visit").count() == 1
    # No button is offered; the claim sent anyway (as the page's own claim form would send it, with its token)
    # is refused with the same reason.
    page.evaluate("""([url]) => {
        const form = document.querySelector('form[action$="/claim/"]').cloneNode(true);
        form.action = url;
        document.body.appendChild(form);
        form.submit();
    }""", [f"/pool/jobs/{second.pk}/claim/"])
    page.wait_for_load_state("load")
    page.get_by_role("heading", name="Job board").wait_for()
    notice = page.locator(".alert-danger, .alert-error").filter(has_text="You already have a visit to Store A")
    assert tidy(notice.inner_text()).startswith(lockout)
    second.refresh_from_db()
    assert second.status == Assignment.Status.OFFERED and second.shopper_id is None

    # The reviewer's question, from the home page, answered in the message box.
    page.goto(f"{live_server.url}/")
    news = page.locator(".alert", has_text="The QA team wrote to you about a report")
    news.get_by_role("link", name="Store B").click()
    page.get_by_role("heading", name="Your report: Store B").wait_for()
    talk_box = page.locator("section", has=page.get_by_role("heading", name="Messages with the QA team"))
    assert QUESTION in talk_box.inner_text() and "QA team" in talk_box.inner_text()
    assert "reviewer" not in talk_box.inner_text().lower()
    mail.outbox.clear()
    talk_box.get_by_label("Your message").fill(ANSWER)
    talk_box.get_by_role("button", name="Send to the QA team").click()
    talk_box = page.locator("section", has=page.get_by_role("heading", name="Messages with the QA team"))
    page.get_by_text("Sent. The QA team has been e-mailed; their answer appears here.").wait_for()
    mine = talk_box.locator(".message", has_text=ANSWER)
    assert tidy(mine.inner_text()).startswith("You ·") and "not read yet" in mine.inner_text()
    answer = ReportMessage.objects.get(body=ANSWER)
    assert answer.author == world.shopper and answer.assignment == month["sent"]
    assert [m.to for m in mail.outbox] == [["reviewer@example.com"]] and ANSWER in mail.outbox[0].body
    assert_reads_well(page)

    # The administrator, on their own desktop, marks the batch paid.
    admin = new_page(browser, DESKTOP)
    sign_in(admin, live_server, "admin", f.PASSWORD)
    open_menu_item(admin, "Payment batches")
    listed = admin.locator("main a.list-group-item", has_text="PayPal")
    assert "Exported, waiting for payment" in listed.inner_text()
    assert "£32.50 · 1 shopper · 1 visit" in listed.inner_text()
    listed.click()
    admin.get_by_role("link", name="Mark paid…").click()
    admin.get_by_role("button", name="Yes, mark it paid").click()
    admin.get_by_text("marked paid: 1 visit is now paid").wait_for()
    admin.context.close()
    batch = PaymentBatch.objects.get(pk=month["batch"].pk)
    assert batch.status == PaymentBatch.Status.PAID
    assert Assignment.objects.get(pk=month["earned"].pk).paid_at is not None

    # The shopper's payments: the visit, the amount with its currency, the day it was paid.
    open_menu_item(page, "My pay")
    page.get_by_role("link", name="All payments and yearly statements").click()
    page.get_by_role("heading", name="Your payments").wait_for()
    payments = page.locator("[data-payment]")
    assert payments.count() == 1
    paid = tidy(payments.first.inner_text())
    assert paid.startswith(f"Paid {formats.date(batch.paid_at)} PayPal · 1 visit £32.50")
    earned = month["earned"]
    assert f"{earned.location} Visited {formats.day(earned.report.arrived_at)} £32.50" in paid
    assert_reads_well(page)

    # The same pages at a desktop's size.
    page.set_viewport_size(DESKTOP)
    for path, heading in [("/pool/jobs/", "Job board"), ("/pool/qualifications/", "My qualifications"),
                          ("/pool/pay/mine/", "Your payments")]:
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert_reads_well(page)
