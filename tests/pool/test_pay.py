"""Pay in batches: making a batch (dates in the administrator's zone, one method, payees left out and why, never a
visit twice), the PayPal and bank files read back, the statuses new -> exported -> paid, the shopper's payments
and the yearly PDF statement read back."""

import csv
import io
import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pool import pay
from pool.models import BatchPayment, BatchVisit, PaymentBatch, ShopperProfile
from qa import formats
from shops.models import Assignment, Shopper

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY = date(2026, 10, 14)


def approved(world, user, fee="25.00", when=None, location=None):
    """An approved, unpaid visit (made directly: the review itself is tested elsewhere)."""
    return Assignment.objects.create(
        location=location or world.location_a, version=world.version, shopper=Shopper.objects.get(user=user),
        window_start=DAY - timedelta(days=3), window_end=DAY, brief="Ask about a kettle.", fee=Decimal(fee),
        status=Assignment.Status.APPROVED, created_by=world.lead,
        approved_at=when or timezone.make_aware(datetime(2026, 10, 14, 12), LONDON))


def profile(user, method, **details):
    obj, _ = ShopperProfile.objects.get_or_create(shopper=Shopper.objects.get(user=user))
    obj.payment_method = method
    for key, value in details.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def make(world, method="paypal", start=DAY, end=DAY):
    return pay.create_batch(method=method, date_from=start, date_to=end, by=world.admin, tz=LONDON)


@pytest.fixture
def paypal_world(world):
    profile(world.shopper, "paypal", paypal_email="shopper@example.com")
    profile(world.other_shopper, "paypal")  # chose PayPal, gave no e-mail
    world.visits = [approved(world, world.shopper, "25.00"), approved(world, world.shopper, "12.50"),
                    approved(world, world.other_shopper, "30.00")]
    return world


def test_a_batch_holds_one_payment_per_shopper_and_lists_who_is_left_out(paypal_world):
    batch, result = make(paypal_world)
    payment = batch.payments.get()
    assert payment.amount == Decimal("37.50") and payment.paypal_email == "shopper@example.com"
    assert payment.visits.count() == 2 and batch.status == PaymentBatch.Status.NEW and batch.currency == "GBP"
    assert [(str(line.shopper), line.reason) for line in result.left_out] == [("other_shopper", "no PayPal e-mail")]


def test_approval_days_are_the_administrators_days(world):
    profile(world.shopper, "paypal", paypal_email="s@example.com")
    # 23:30 in London on 13 October is 22:30 UTC: it is the 13th there, not the 14th.
    approved(world, world.shopper, when=timezone.make_aware(datetime(2026, 10, 13, 23, 30), LONDON))
    with pytest.raises(ValidationError):
        make(world)
    batch, _ = make(world, start=DAY - timedelta(days=1), end=DAY - timedelta(days=1))
    assert batch.payments.get().amount == Decimal("25.00")


def test_a_visit_is_never_batched_twice(paypal_world):
    make(paypal_world)
    with pytest.raises(ValidationError) as refused:
        make(paypal_world)
    assert "already in a batch" in " ".join(refused.value.messages) or "lacks" in " ".join(refused.value.messages)
    # Even when the query that chose the visits missed that another batch took one, the database refuses it.
    visit = BatchVisit.objects.first()
    other = PaymentBatch.objects.create(method="paypal", approved_from=DAY, approved_to=DAY, currency="GBP",
                                        created_by=paypal_world.admin)
    payment = BatchPayment.objects.create(batch=other, shopper=visit.assignment.shopper, amount=1, payee_name="x")
    with pytest.raises(Exception):
        BatchVisit.objects.create(payment=payment, assignment=visit.assignment)


def test_bank_batches_need_an_iban_and_leave_paypal_shoppers_alone(world):
    profile(world.shopper, "bank", account_name="Jess Carter", iban="GB33 BUKB 2020 1555 5555 55", bic="bukbgb22")
    profile(world.other_shopper, "bank")
    approved(world, world.shopper, "40.00")
    approved(world, world.other_shopper, "10.00")
    batch, result = make(world, "bank")
    assert [line.reason for line in result.left_out] == ["no IBAN"]
    pay.export(batch, world.admin)
    name, content = pay.export_file(batch)
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert name == f"bank-transfers-batch-{batch.pk}.csv"
    assert rows[0] == ["beneficiary_name", "iban", "amount", "label", "reference", "currency", "bic"]
    assert rows[1][:3] == ["Jess Carter", "GB33BUKB20201555555555", "40.00"]
    assert rows[1][4] == f"SHOPPER PAY {batch.pk} P{batch.payments.get().pk}" and len(rows) == 2
    assert rows[1][5:] == ["GBP", "BUKBGB22"]


def test_payee_details_a_spreadsheet_would_run_are_left_out_not_altered(world):
    """The file would have to change such a name to keep it from running (and pay the wrong payee): the shopper is
    left out with the reason, and the profile form refuses it in the first place."""
    profile(world.shopper, "bank", account_name="=HYPERLINK(1)", iban="GB33 BUKB 2020 1555 5555 55")
    approved(world, world.shopper, "40.00")
    result = pay.plan("bank", DAY, DAY, LONDON)
    assert not result.lines and "formula" in result.left_out[0].reason


def test_paypal_file_in_paypals_columns_and_the_statuses(paypal_world):
    w = paypal_world
    batch, _ = make(w)
    with pytest.raises(ValidationError):
        pay.mark_paid(batch, w.admin)  # not exported yet
    pay.export(batch, w.admin)
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.EXPORTED and batch.exported_at
    rows = list(csv.reader(io.StringIO(pay.export_file(batch)[1].decode())))
    payment = batch.payments.get()
    assert rows == [["shopper@example.com", "37.50", "GBP", f"B{batch.pk}-P{payment.pk}",
                     "Mystery shopping fees, visits approved 14/10/2026 to 14/10/2026", "PAYPAL"]]
    with pytest.raises(ValidationError):
        pay.delete(batch)  # exported: the money may be on its way
    assert pay.mark_paid(batch, w.admin) == 2
    paid = Assignment.objects.filter(batch_visit__payment=payment)
    assert all(a.paid_at and a.paid_by == w.admin for a in paid)
    assert Assignment.objects.get(pk=w.visits[2].pk).paid_at is None  # left out: still payable
    with pytest.raises(ValidationError):
        pay.mark_paid(batch, w.admin)


def test_a_new_batch_can_be_deleted_and_its_visits_batched_again(paypal_world):
    batch, _ = make(paypal_world)
    pay.delete(batch)
    assert not PaymentBatch.objects.exists() and not BatchVisit.objects.exists()
    assert make(paypal_world)[0].payments.get().visits.count() == 2


def test_pages_make_export_download_pay(paypal_world, client_for):
    w = paypal_world
    client = client_for(w.admin)
    form = {"method": "paypal", "date_from": "2026-10-14", "date_to": "2026-10-14"}
    preview = client.post(reverse("pool:pay-batch-create"), dict(form, action="preview")).content.decode()
    assert "£37.50" in preview and "no PayPal e-mail" in preview and not PaymentBatch.objects.exists()
    assert "s•••@example.com · 2 visits" in preview  # the payee detail tells two shoppers of one name apart
    bad = client.post(reverse("pool:pay-batch-create"), dict(form, date_to="2026-10-01", action="make"))
    assert bad.status_code == 400 and "The last day comes before the first day." in bad.content.decode()
    assert 'value="2026-10-14"' in bad.content.decode()  # what was typed is kept
    response = client.post(reverse("pool:pay-batch-create"), dict(form, action="make"), follow=True)
    batch = PaymentBatch.objects.get()
    body = response.content.decode()
    assert "Batch %s made" % batch.pk in body and "other_shopper: no PayPal e-mail" in body and "s•••@example.com" in body
    again = client.post(reverse("pool:pay-batch-create"), dict(form, action="make"))
    assert again.status_code == 400 and PaymentBatch.objects.count() == 1
    assert client.get(reverse("pool:pay-batch-file", args=[batch.pk])).status_code == 302  # not exported yet
    client.post(reverse("pool:pay-batch-export", args=[batch.pk]))
    download = client.get(reverse("pool:pay-batch-file", args=[batch.pk]))
    assert download["Content-Type"].startswith("text/csv") and b"37.50,GBP" in download.content
    assert "Mark batch" in client.get(reverse("pool:pay-batch-paid", args=[batch.pk])).content.decode()
    done = client.post(reverse("pool:pay-batch-paid", args=[batch.pk]), follow=True).content.decode()
    assert "marked paid: 2 visits" in done
    listing = client.get(reverse("pool:pay-batches"), {"status": "paid", "method": "paypal"}).content.decode()
    assert f'data-batch="{batch.pk}"' in listing
    assert f'data-batch="{batch.pk}"' not in client.get(reverse("pool:pay-batches"), {"status": "new"}).content.decode()
    assert client.get(reverse("pool:pay-batches"), {"status": "nonsense"}).status_code == 400


def test_the_shopper_sees_each_payment_and_a_yearly_statement(paypal_world, client_for):
    w = paypal_world
    batch, _ = make(w)
    pay.export(batch, w.admin)
    pay.mark_paid(batch, w.admin)
    year = timezone.localdate().year
    client = client_for(w.shopper)
    my_pay = client.get(reverse("shopper-pay")).content.decode()
    assert "£37.50" in my_pay and "Store A" in my_pay and reverse("pool:pay-mine") in my_pay
    mine = client.get(reverse("pool:pay-mine")).content.decode()
    assert f'data-statement="{year}"' in mine and f'data-no-statement="{year - 1}"' in mine
    pdf = client.get(reverse("pool:pay-statement", args=[year]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"Pay statement {year}" in text and "Total paid: £37.50 for 2 visits" in text and "Store A" in text
    batch.refresh_from_db()
    assert f"PayPal, paid {formats.date(batch.paid_at)}" in text and "Batch %s" % batch.pk not in text
    assert f"{Shopper.objects.get(user=w.shopper)} · {year} · made" in text and "Filters:" not in text
    for empty_year in (year - 1, year + 1, 1999):  # no payments that year: a page that says so, not an empty PDF
        empty = client.get(reverse("pool:pay-statement", args=[empty_year]))
        assert empty.status_code == 404 and f"No payments in {empty_year}" in empty.content.decode()
    # Only their own: the other shopper has no statement for these payments, and the page is a shopper's.
    assert client_for(w.other_shopper).get(reverse("pool:pay-statement", args=[year])).status_code == 404
    assert client_for(w.admin).get(reverse("pool:pay-mine")).status_code == 403


def test_batch_totals_count_each_payment_once(paypal_world):
    batch, _ = make(paypal_world)
    totals = pay.with_totals(PaymentBatch.objects.filter(pk=batch.pk)).get()
    assert (totals.total, totals.payment_count, totals.visit_count) == (Decimal("37.50"), 1, 2)


def test_a_batch_made_at_the_same_moment_is_refused_whole(paypal_world, monkeypatch):
    """Another administrator's batch took a visit after this one chose its visits: the one-to-one BatchVisit
    refuses it, the whole batch is undone, and the message says what to do."""
    make(paypal_world)
    chosen_before_the_other_batch = Assignment.objects.filter(status=Assignment.Status.APPROVED)
    monkeypatch.setattr(pay, "payable", lambda *args: chosen_before_the_other_batch)
    with pytest.raises(ValidationError) as refused:
        make(paypal_world)
    assert "Another batch took some of these visits" in refused.value.messages[0]
    assert PaymentBatch.objects.count() == 1 and BatchPayment.objects.count() == 1


def test_the_period_page_never_pays_a_batched_visit_twice(paypal_world, client_for):
    make(paypal_world)
    client_for(paypal_world.admin).post(reverse("payments"), {"shopper": Shopper.objects.get(
        user=paypal_world.shopper).pk, "confirm": "yes"})
    assert not Assignment.objects.filter(paid_at__isnull=False).exists()
    page = client_for(paypal_world.admin).get(reverse("payments")).content.decode()
    assert reverse("pool:pay-batches") in page and "2 visits in a payment batch" in page


def test_days_out_of_range_are_refused_with_a_message(world, client_for):
    response = client_for(world.admin).post(reverse("pool:pay-batch-create"), {
        "method": "bank", "date_from": "2026-10-01", "date_to": "9999-12-31", "action": "make"})
    assert response.status_code == 400 and "Give a day between 2000 and 2100." in response.content.decode()


def test_my_payments_list_batch_payments_and_visits_paid_outside_a_batch(paypal_world, client_for):
    """Visits marked paid on the older "Shopper pay" page are payments too, grouped by the day they were paid,
    each shown with its visits (not hidden), newest first."""
    from shops import services as shop_services
    w = paypal_world
    outside = approved(w, w.shopper, "1450.00", location=w.location_b)
    shop_services.mark_paid([outside], w.admin)
    batch, _ = make(w)  # the two 14 October visits
    mine = client_for(w.shopper).get(reverse("pool:pay-mine")).content.decode()
    assert "No payments yet" not in mine and "Paid outside a batch" in mine and "£1,450.00" in mine
    assert mine.index(f'data-payment="batch-{batch.payments.get().pk}"') < mine.index('data-payment="outside-')
    assert "<details" not in mine and "Store A" in mine and w.location_b.name in mine


def test_a_shopper_without_payment_details_is_told_where_to_add_them(paypal_world, client_for):
    client = client_for(paypal_world.other_shopper)  # chose PayPal, gave no e-mail
    for url in (reverse("pool:pay-mine"), reverse("shopper-pay"), reverse("home")):
        page = client.get(url).content.decode()
        assert "data-pay-details-missing" in page and "no PayPal e-mail" in page, url
        assert reverse("pool:profile") in page
    assert "data-pay-details-missing" not in client_for(paypal_world.shopper).get(reverse("pool:pay-mine")).content.decode()


def test_the_period_page_asks_before_marking_fees_paid_and_refuses_dates_it_cannot_read(world, client_for):
    approved(world, world.shopper, "1450.00")
    approved(world, world.shopper, "375.00")
    client = client_for(world.admin)
    shopper = Shopper.objects.get(user=world.shopper).pk
    asked = client.post(reverse("payments"), {"shopper": shopper})
    assert asked.status_code == 200 and "Mark 2 fees paid?" in asked.content.decode()
    assert "£1,825.00" in asked.content.decode() and not Assignment.objects.filter(paid_at__isnull=False).exists()
    client.post(reverse("payments"), {"shopper": shopper, "confirm": "yes"})
    assert Assignment.objects.filter(paid_at__isnull=False).count() == 2
    assert "£1,825.00" in client.get(reverse("payments")).content.decode()
    reversed_dates = client.get(reverse("payments"), {"date_from": "2026-10-31", "date_to": "2026-10-01"})
    assert reversed_dates.status_code == 400 and "The last day comes before the first day." in (
        reversed_dates.content.decode())
    for digits in ("٢٠٢٦-١٠-٠١", "２０２６-10-01"):
        page = client.get(reverse("payments"), {"date_from": digits})
        assert page.status_code == 400 and "digits 0 to 9" in page.content.decode(), digits
        assert "No approved reports" not in page.content.decode()


def test_the_batch_page_lists_each_payments_visits(paypal_world, client_for):
    batch, _ = make(paypal_world)
    page = client_for(paypal_world.admin).get(reverse("pool:pay-batch", args=[batch.pk])).content.decode()
    for visit in paypal_world.visits[:2]:
        assert f'data-batch-visit="{visit.pk}"' in page
    assert "£25.00" in page and "£12.50" in page and "<details" not in page and "wrap-anywhere" in page


def test_a_long_statement_repeats_its_header_only_at_the_top_of_each_page(world):
    from pool import pay_pdf
    shopper = Shopper.objects.get(user=world.shopper)
    paid = timezone.make_aware(datetime(2026, 3, 2, 12), LONDON)
    Assignment.objects.bulk_create([Assignment(
        location=world.location_a, version=world.version, shopper=shopper, window_start=DAY, window_end=DAY,
        fee=Decimal("10.00"), status=Assignment.Status.APPROVED, created_by=world.lead, approved_at=paid,
        paid_at=paid) for _ in range(90)])
    pages = PdfReader(io.BytesIO(pay_pdf.statement(shopper, 2026, LONDON))).pages
    assert len(pages) >= 2
    for page in pages:
        body = page.extract_text()
        assert body.count("Payment") == 1 and body.split("Payment")[0].count("Store A") == 0


def pdf_pages(content) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_statement_footer_names_the_shopper_and_year_and_counts_pages_of_the_whole(world):
    """The footer says whose statement and which year, "Page N of M" (M known only after laying out every page),
    and never repeats the title, which stays at the top of the first page."""
    from pool import pay_pdf
    world.shopper.first_name, world.shopper.last_name = "Sam", "Shopper"
    world.shopper.save()
    shopper = Shopper.objects.get(user=world.shopper)
    paid = timezone.make_aware(datetime(2026, 3, 2, 12), LONDON)
    Assignment.objects.bulk_create([Assignment(
        location=world.location_a, version=world.version, shopper=shopper, window_start=DAY, window_end=DAY,
        fee=Decimal("10.00"), status=Assignment.Status.APPROVED, created_by=world.lead, approved_at=paid,
        paid_at=paid) for _ in range(90)])
    pages = pdf_pages(pay_pdf.statement(shopper, 2026, LONDON))
    total = len(pages)
    assert total >= 2
    for number, body in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in body and "Sam Shopper · 2026 · made" in body
    assert "".join(pages).count("Pay statement 2026") == 1 and "Statement for" not in "".join(pages)
    # A visit marked paid outside a batch says so, with its day.
    assert "Paid outside a batch, 2 Mar 2026" in pages[0]


def test_each_statement_row_says_the_method_and_the_day_paid_in_the_shoppers_time_zone(paypal_world):
    """A batch's row reads "PayPal, paid 14 Nov 2026", the day in the shopper's zone (late evening in London is
    the next morning in Auckland), never the batch's number."""
    from pool import pay_pdf
    w = paypal_world
    batch, _ = make(w)
    pay.export(batch, w.admin)
    pay.mark_paid(batch, w.admin)
    evening = timezone.make_aware(datetime(2026, 11, 14, 22, 30), LONDON)
    PaymentBatch.objects.filter(pk=batch.pk).update(paid_at=evening)
    Assignment.objects.filter(batch_visit__payment__batch=batch).update(paid_at=evening)
    shopper = Shopper.objects.get(user=w.shopper)
    london = "".join(pdf_pages(pay_pdf.statement(shopper, 2026, LONDON)))
    assert london.count("PayPal, paid 14 Nov 2026") == 2 and f"Batch {batch.pk}" not in london
    auckland = "".join(pdf_pages(pay_pdf.statement(shopper, 2026, zoneinfo.ZoneInfo("Pacific/Auckland"))))
    assert auckland.count("PayPal, paid 15 Nov 2026") == 2
    assert "Page 1 of 1" in auckland


def test_home_says_where_a_batched_fee_stands_as_the_pay_page_does(paypal_world, client_for):
    batch, _ = make(paypal_world)
    client = client_for(paypal_world.shopper)
    assert "being prepared" in client.get(reverse("home")).content.decode()
    pay.export(batch, paypal_world.admin)
    home = client.get(reverse("home")).content.decode()
    assert "on its way" in home and "payable" not in home


def test_making_a_batch_says_when_it_holds_fewer_visits_than_the_preview(paypal_world, client_for):
    import re
    from shops import services as shop_services
    client = client_for(paypal_world.admin)
    fields = {"method": "paypal", "date_from": "2026-10-14", "date_to": "2026-10-14"}
    preview = client.post(reverse("pool:pay-batch-create"), dict(fields, action="preview")).content.decode()
    previewed = re.search(r'name="previewed" value="([^"]+)"', preview).group(1)
    assert previewed.startswith("2:")
    shop_services.mark_paid([paypal_world.visits[0]], paypal_world.admin)  # another administrator, meanwhile
    made = client.post(reverse("pool:pay-batch-create"), dict(fields, action="make", previewed=previewed),
                       follow=True).content.decode()
    assert "1 visit was paid or put in another batch since the preview: this batch holds 1, not 2." in made
    again = client.post(reverse("pool:pay-batch-create"), dict(fields, action="preview")).content.decode()
    assert "data-all-handled" not in again  # the other shopper's visit still waits for their details


def test_the_preview_says_when_every_visit_in_the_dates_is_already_paid_or_batched(world, client_for):
    profile(world.shopper, "paypal", paypal_email="shopper@example.com")
    approved(world, world.shopper)
    make(world)
    page = client_for(world.admin).get(reverse("pool:pay-batch-create"), {
        "method": "bank", "date_from": "2026-10-14", "date_to": "2026-10-14"}).content.decode()
    assert "data-all-handled" in page and "already paid or in a batch" in page and "Try wider dates" not in page


def test_pay_pages_tell_locations_of_the_same_name_apart(paypal_world, client_for):
    from tests import factories as f

    w = paypal_world
    north = f.make_location(w.region_a, name="High Street", code="HS-N")
    south = f.make_location(w.region_a, name="High Street", code="HS-S")
    approved(w, w.shopper, location=north)
    approved(w, w.shopper, location=south)
    batch, _ = make(w)
    detail = client_for(w.admin).get(reverse("pool:pay-batch", args=[batch.pk])).content.decode()
    assert "High Street (HS-N)" in detail and "High Street (HS-S)" in detail
    pay.export(batch, w.admin)
    pay.mark_paid(batch, w.admin)
    mine = client_for(w.shopper).get(reverse("pool:pay-mine")).content.decode()
    assert "High Street (HS-N)" in mine and "High Street (HS-S)" in mine
    pdf = client_for(w.shopper).get(reverse("pool:pay-statement", args=[timezone.localdate().year]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "High Street (HS-N)" in text and "High Street (HS-S)" in text


def test_the_message_after_making_a_batch_writes_money_as_the_page_does(world, client_for):
    """It said "£1276.00" above a page that said "£1,276.00"."""
    profile(world.shopper, "paypal", paypal_email="shopper@example.com")
    profile(world.other_shopper, "paypal")  # left out, with its amount
    approved(world, world.shopper, "1000.00")
    approved(world, world.shopper, "276.00")
    approved(world, world.other_shopper, "1500.00")
    form = {"method": "paypal", "date_from": "2026-10-14", "date_to": "2026-10-14", "action": "make"}
    body = client_for(world.admin).post(reverse("pool:pay-batch-create"), form, follow=True).content.decode()
    batch = PaymentBatch.objects.get()
    assert f"Batch {batch.pk} made: 1 payment, £1,276.00." in body and "1276.00" not in body
    assert "other_shopper: no PayPal e-mail (1 visit, £1,500.00)" in body and "1500.00" not in body
    assert pay.money(Decimal("1276")) == "£1,276.00"
