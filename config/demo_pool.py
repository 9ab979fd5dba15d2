"""The shopper pool's demo data (seed_demo calls `demo_pool` once, with the rest of the demo): one function per
area of the pool, each written beside that area's pages."""


def demo_board(users, locations):
    """Programmes, shoppers' home areas and open visits on the job board."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from pool.models import Application, Invitation, Programme, ProgrammeScorecard, ShopperProfile
    from scorecards.defaults import PHONE_CALL, STORE_VISIT
    from scorecards.models import Scorecard
    from shops import services as shop_services
    from shops.models import Shopper

    store = Scorecard.objects.get(name=STORE_VISIT["name"])
    calls = Scorecard.objects.get(name=PHONE_CALL["name"])
    high_street, _ = Programme.objects.get_or_create(name="High street visits", defaults={
        "description": "Store visits across the three regions: first qualified shopper to claim a visit gets it.",
        "claim_rule": Programme.ClaimRule.FIRST_COME, "lockout_days": 14, "max_open_visits": 6})
    ProgrammeScorecard.objects.get_or_create(scorecard=store, defaults={"programme": high_street})
    calls_programme, _ = Programme.objects.get_or_create(name="Mystery calls", defaults={
        "description": "Calls to the contact centre and stores: shoppers apply and the planner chooses.",
        "claim_rule": Programme.ClaimRule.PLANNER_CHOOSES, "lockout_days": 30, "max_open_visits": 6})
    ProgrammeScorecard.objects.get_or_create(scorecard=calls, defaults={"programme": calls_programme})

    # Home positions near the demo stores (a shop's coordinates are needed for distances: the stores have them).
    homes = {
        "shopper": ("Leeds LS6", "53.819900", "-1.576500", 60,
                    {"payment_method": "bank", "account_name": "Jess Carter", "iban": "GB33BUKB20201555555555",
                     "bic": "BUKBGB22"}),
        "shopper2": ("Manchester M14", "53.446800", "-2.223900", 80,
                     {"payment_method": "paypal", "paypal_email": "ravi.mehta@example.com"}),
        "shopper3": ("London N7", "51.553900", "-0.116400", 40, {}),
    }
    for username, (area, lat, lng, km, pay) in homes.items():
        ShopperProfile.objects.get_or_create(shopper=Shopper.objects.get(user=users[username]), defaults={
            "home_area": area, "home_latitude": Decimal(lat), "home_longitude": Decimal(lng), "travel_km": km,
            **pay})
    # Every demo shopper starts in the North (config.demo); Lucy lives in London, so her home region is the South.
    Shopper.objects.filter(user=users["shopper3"]).update(home_region=locations["S01"].region)

    today = timezone.localdate()
    lead = users["lead"]
    brief = ("Ask for help choosing a kettle under £40 and whether it can be returned if unused. Note whether the "
             "employee greets you, asks what you need and explains the return policy.")
    call_brief = ("Call to ask whether a washing machine bought online can be returned in store. Note whether the "
                  "advisor gives a clear answer and a reference number.")
    plan = [  # (location, scorecard, channel, starts in days, lasts days, fee, receipt, photo)
        ("N01", store, "store_visit", 0, 6, "22.00", True, False),
        ("N90", calls, "phone_call", 1, 7, "12.00", False, False),
        ("N02", store, "store_visit", -1, 5, "25.00", True, True),
        ("M02", store, "store_visit", 3, 7, "28.00", True, False),
        ("M03", calls, "phone_call", 4, 10, "12.00", False, False),
        ("S01", store, "store_visit", 2, 5, "35.00", True, True),
        ("S04", store, "store_visit", 9, 7, "30.00", False, False),
        ("N03", store, "store_visit", 20, 7, "26.00", True, False),
    ]
    made = {}
    for code, scorecard, channel, starts, lasts, fee, receipt, photo in plan:
        made[code] = shop_services.create_assignment(
            created_by=lead, location=locations[code], version=scorecard.published_version, shopper=None,
            channel=channel, window_start=today + timedelta(days=starts),
            window_end=today + timedelta(days=starts + lasts), brief=call_brief if channel == "phone_call" else brief,
            fee=Decimal(fee), receipt_required=receipt, photo_required=photo)
    ravi = Shopper.objects.get(user=users["shopper2"])
    Application.objects.get_or_create(assignment=made["N90"], shopper=ravi,
                                      defaults={"note": "I can call on a weekday morning."})
    Invitation.objects.get_or_create(assignment=made["N01"], shopper=Shopper.objects.get(user=users["shopper"]),
                                     defaults={"invited_by": lead})


STORE_VISIT_QUIZ = [
    ("When should you take notes about the visit?",
     [("In the store, in front of the staff", False), ("Straight after leaving, out of sight of the store", True),
      ("The next day, from memory", False)]),
    ("An employee asks whether you are a mystery shopper. What do you do?",
     [("Say yes and carry on", False), ("Stay in your role and carry on naturally", True),
      ("Leave the store at once", False)]),
    ("Which of these belong in the report? Tick every one.",
     [("The employee's name or description", True), ("The time you arrived and left", True),
      ("Your opinion of the store's prices", False), ("Photos of the receipt", True)]),
    ("The visit window is Monday to Wednesday and you can only go on Thursday. What do you do?",
     [("Go on Thursday and report Wednesday", False), ("Decline the visit before its window starts", True),
      ("Go on Thursday and say nothing", False)]),
    ("How soon after the visit is the report due?",
     [("Within the hours the brief gives", True), ("Within a month", False), ("Whenever convenient", False)]),
]


def demo_document() -> bytes:
    """A one-page PDF standing for a scanned identity document."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(420, 260))
    page.drawString(30, 200, "Demo identity document")
    page.drawString(30, 170, "Not a real document: it stands for a scan a shopper sent.")
    page.save()
    return out.getvalue()


def demo_qualifications(users, locations):
    """A certification quiz and a document qualification, held, expired or waiting for a check: Jess (shopper)
    holds both, Ravi's (shopper2) identity check is waiting, Lucy's (shopper3) expired."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from pool import qualifications as service
    from pool.models import Choice, Credential, Programme, Qualification, Question, Quiz, QuizAttempt

    if Qualification.objects.filter(name="Store visit certification").exists():
        return
    now, today = timezone.now(), timezone.localdate()
    quiz_qualification = Qualification.objects.create(
        name="Store visit certification", kind=Qualification.Kind.QUIZ, valid_months=12,
        description="Five questions on how a store visit is made and reported.")
    quiz = Quiz.objects.create(qualification=quiz_qualification, pass_percent=80, max_attempts=3, cooling_off_days=7,
                               instructions="Stay in your role as an ordinary customer, even if asked. Take notes only "
                                            "after you leave, out of sight of the store. Report what you saw (who "
                                            "served you, the times, photos of the receipt), not your opinions. Visit "
                                            "only within the visit window, or decline the visit before it starts. "
                                            "Send the report within the hours the brief gives. All questions are on "
                                            "one page; some have more than one right answer.")
    right, wrong = {}, {}
    for position, (text, answers) in enumerate(STORE_VISIT_QUIZ):
        question = Question.objects.create(quiz=quiz, text=text, position=position)
        choices = Choice.objects.bulk_create([Choice(question=question, text=answer, correct=correct, position=n)
                                              for n, (answer, correct) in enumerate(answers)])
        right[str(question.pk)] = [c.pk for c in choices if c.correct]
        wrong[str(question.pk)] = [c.pk for c in choices if not c.correct][:1]
    identity = Qualification.objects.create(
        name="Identity check", kind=Qualification.Kind.DOCUMENT, valid_months=24,
        description="A photo or scan of your passport or driving licence, so we know who visits our stores.")
    shopper, shopper2, shopper3 = (users[name].shopper for name in ("shopper", "shopper2", "shopper3"))
    passed_at = now - timedelta(days=40)
    # Failed once (two questions wrong), passed after the cooling-off.
    missed = list(right)[1:3]
    QuizAttempt.objects.create(quiz=quiz, shopper=shopper, finished_at=passed_at - timedelta(days=8),
                               answers={k: wrong[k] if k in missed else v for k, v in right.items()},
                               wrong=[int(k) for k in missed], score_percent=60, passed=False)
    QuizAttempt.objects.create(quiz=quiz, shopper=shopper, finished_at=passed_at, answers=right, wrong=[],
                               score_percent=100, passed=True)
    Credential.objects.create(shopper=shopper, qualification=quiz_qualification, status=Credential.Status.APPROVED,
                              submitted_at=passed_at, checked_at=passed_at, note="Passed the quiz with 100.0%.",
                              expires_on=service.add_months(timezone.localdate(passed_at), 12))
    pdf = demo_document()
    waiting = Credential(shopper=shopper2, qualification=identity, status=Credential.Status.PENDING,
                         submitted_at=now - timedelta(days=1))
    waiting.document.save("identity.pdf", ContentFile(pdf), save=True)
    expired = Credential(shopper=shopper3, qualification=identity, status=Credential.Status.APPROVED,
                         submitted_at=now - timedelta(days=760), checked_at=now - timedelta(days=758),
                         checked_by=users["admin"], expires_on=today - timedelta(days=20))
    expired.document.save("identity.pdf", ContentFile(pdf), save=True)
    held = Credential(shopper=shopper, qualification=identity, status=Credential.Status.APPROVED,
                      submitted_at=now - timedelta(days=100), checked_at=now - timedelta(days=99),
                      checked_by=users["admin"], expires_on=service.add_months(today, 20))
    held.document.save("identity.pdf", ContentFile(pdf), save=True)
    # The board's demo programme for store visits (demo_board runs first): by name, else the one that lists the
    # store-visit scorecard; nothing is created here.
    programme = (Programme.objects.filter(name="Store visits").first()
                 or Programme.objects.filter(scorecard_links__scorecard__channel="store_visit").order_by("pk").first())
    if programme is not None:
        programme.required_qualifications.add(quiz_qualification, identity)


def _reviewed_worse(shopper, reviewer, *, returned=(), rejected=(), late=()):
    """Change some of the shopper's latest approved demo visits (counted from the newest, 0 first): returned once
    before approval, rejected instead, or sent after their due time."""
    from datetime import timedelta

    from pool import ratings
    from qa.models import Evaluation
    from shops.models import Assignment, AssignmentEvent

    S = Assignment.Status
    why = "The visit was made outside the window and the receipt is missing."
    latest = list(Assignment.objects.filter(shopper=shopper, status=S.APPROVED, report__isnull=False)
                  .select_related("report").order_by("-report__last_submitted_at", "-pk")[:ratings.WINDOW])
    for n, assignment in enumerate(latest):
        report = assignment.report
        if n in returned:  # dated between the report and its approval, not when the demo was made
            sent = report.first_submitted_at or assignment.approved_at
            back = AssignmentEvent.objects.create(assignment=assignment, from_status=S.SUBMITTED,
                                                  to_status=S.RETURNED, by=reviewer, note="Add the receipt photo.")
            again = AssignmentEvent.objects.create(assignment=assignment, from_status=S.RETURNED,
                                                   to_status=S.SUBMITTED, by=shopper.user)
            if sent:
                AssignmentEvent.objects.filter(pk=back.pk).update(at=sent + timedelta(hours=5))
                AssignmentEvent.objects.filter(pk=again.pk).update(at=sent + timedelta(hours=9))
        if n in rejected:
            AssignmentEvent.objects.filter(assignment=assignment, to_status=S.APPROVED).update(
                to_status=S.REJECTED, note=why, by=reviewer)
            Assignment.objects.filter(pk=assignment.pk).update(status=S.REJECTED, approved_at=None, paid_at=None,
                                                               review_note=why)
            Evaluation.objects.filter(pk=report.evaluation_id).update(status=Evaluation.Status.REJECTED,
                                                                     released_at=None)
        if n in late:
            report.flags = sorted(set(report.flags or []) | {"late"})
            report.save(update_fields=["flags"])


def demo_ratings(users, locations):
    """Reviewed reports behind the demo shoppers' ratings; a conflict and a bar.

    The demo's approved visits (config.demo.attach_visit) rate every shopper near 5: Ravi (shopper2) had some of
    his latest reports returned before approval, rejected or sent late, so he is rated lower, and Lucy (shopper3)
    a little lower than Jess. Jess (shopper) is known at Brighton; Lucy is barred, with the reason in the
    history. Jess stays usable."""
    from pool import ratings_shoppers
    from pool.models import Conflict
    from shops.models import Shopper

    def shopper(username):
        return Shopper.objects.filter(user=users[username]).first() if username in users else None

    lead, reviewer = users["lead"], users["reviewer"]
    ravi, jess, lucy = shopper("shopper2"), shopper("shopper"), shopper("shopper3")
    if ravi is not None:
        _reviewed_worse(ravi, reviewer, returned=(1, 5, 9, 13), rejected=(3, 10, 16), late=(0, 6, 12))
    if jess is not None and "S02" in locations:
        Conflict.objects.get_or_create(shopper=jess, location=locations["S02"],
                                       defaults={"reason": "Her sister is the store manager.", "added_by": lead})
    if lucy is not None:
        _reviewed_worse(lucy, reviewer, returned=(2, 7), rejected=(11,), late=(4, 8))
        if not ratings_shoppers.is_barred(lucy):
            ratings_shoppers.set_barred(lucy, barred=True, by=lead, reason=(
                "Two reports described a till layout that does not match the store; barred until we have spoken."))


def demo_conversation(users, locations):
    """A question on a report and its answer; a rejection appealed."""
    from datetime import timedelta

    from django.utils import timezone

    from pool.models import Appeal, ReportMessage
    from qa import visits
    from shops.models import AssignmentEvent

    asked = _demo_visit_report(users, locations["N01"], days_ago=1, key="demo-conversation-question")
    to_reject = _demo_visit_report(users, locations["N02"], days_ago=3, key="demo-conversation-appeal")
    now = timezone.now()
    question = ReportMessage.objects.create(
        assignment=asked.assignment, author=users["reviewer"],
        body="Your photo of the receipt is blurred. Which till did you pay at, and was the employee at it the one "
             "who served you?")
    answer = ReportMessage.objects.create(
        assignment=asked.assignment, author=users["shopper"],
        body="Till 3, by the door. Yes, the same person served me and took the payment.")
    ReportMessage.objects.filter(pk=question.pk).update(sent_at=now - timedelta(hours=20),
                                                         read_at=now - timedelta(hours=18))
    ReportMessage.objects.filter(pk=answer.pk).update(sent_at=now - timedelta(hours=17))
    visits.reject(to_reject, by=users["reviewer"],
                  reason="The photos were taken at another store: the sign in them is not this store's.")
    AssignmentEvent.objects.filter(assignment=to_reject.assignment, to_status="rejected").update(
        at=now - timedelta(days=1, hours=2))
    appeal = Appeal.objects.create(
        assignment=to_reject.assignment,
        reason="I visited the right store: the second photo shows its sign above the entrance, next to the "
               "pharmacy. The first photo was taken from the car park, where the neighbour's sign is visible.")
    Appeal.objects.filter(pk=appeal.pk).update(submitted_at=now - timedelta(hours=22))


def _demo_visit_report(users, location, *, days_ago, key):
    """A visit report the demo shopper sent, waiting for validation (as the phone would file it)."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from config.demo import BRIEFS, STORE_VISIT, demo_value
    from qa import visits
    from qa.models import Evaluation, VisitReport
    from qa.services import AnswerData
    from scorecards.models import Item, Scorecard
    from shops.models import Assignment, AssignmentEvent

    rng = random.Random(key)
    version = Scorecard.objects.get(name=STORE_VISIT["name"]).published_version
    visit_day = timezone.localdate() - timedelta(days=days_ago)
    assignment = Assignment.objects.create(
        location=location, version=version, shopper=users["shopper"].shopper, channel="store_visit",
        window_start=visit_day - timedelta(days=2), window_end=visit_day + timedelta(days=2), brief=BRIEFS[0],
        fee=Decimal("25.00"), status=Assignment.Status.ACCEPTED, created_by=users["lead"])
    for previous, new, by in [("", "offered", users["lead"]), ("offered", "accepted", users["shopper"])]:
        AssignmentEvent.objects.create(assignment=assignment, from_status=previous, to_status=new, by=by)
    answers = {}
    for item in Item.objects.filter(section__version=version):
        value, na = demo_value(item, 0.8, rng)
        comment = "The employee did not do this." if value in ("no", "partial") else ""
        answers[item.pk] = AnswerData(value=value, na=na, comment=comment)
    arrived = timezone.now() - timedelta(days=days_ago, hours=2)
    data = visits.VisitData(arrived_at=arrived, departed_at=arrived + timedelta(minutes=18),
                            narrative="Visited as briefed. The employee explained the returns policy and offered "
                                      "a replacement.", answers=answers, employee=location.employees.first())
    report = visits.submit_visit_report(assignment, users["shopper"], data, key)[0]
    sent = arrived + timedelta(hours=1)
    # Filed an hour after the visit (so not late, whatever the clock said when the demo was made).
    VisitReport.objects.filter(pk=report.pk).update(first_submitted_at=sent, last_submitted_at=sent, flags=[])
    Evaluation.objects.filter(pk=report.evaluation_id).update(submitted_at=sent)
    AssignmentEvent.objects.filter(assignment=assignment, to_status="submitted").update(at=sent)
    AssignmentEvent.objects.filter(assignment=assignment, to_status__in=["offered", "accepted"]).update(
        at=arrived - timedelta(days=2))
    report.refresh_from_db()
    return report


def demo_pay(users, locations):
    """Payment batches: one paid, one exported. Jess is paid by PayPal, Ravi by bank transfer, and Lucy chose
    PayPal without giving her e-mail, so she shows as left out. Profiles another area's demo already filled in
    keep their payment details."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from pool import pay
    from pool.models import ShopperProfile
    from shops.models import Shopper

    details = {
        "shopper": {"payment_method": "paypal", "paypal_email": "jess.carter@example.com"},
        "shopper2": {"payment_method": "bank", "account_name": "Ravi Mehta", "iban": "GB33BUKB20201555555555",
                     "bic": "BUKBGB22"},
        "shopper3": {"payment_method": "paypal"},
    }
    for username, fields in details.items():
        shopper = Shopper.objects.filter(user=users.get(username)).first()
        if shopper is None:
            continue
        profile, _ = ShopperProfile.objects.get_or_create(shopper=shopper)
        if not profile.payment_method:
            for name, value in fields.items():
                setattr(profile, name, value)
            profile.save()
    admin, tz = users["admin"], timezone.get_default_timezone()
    today = timezone.localdate()
    try:
        paid, _ = pay.create_batch(method="paypal", date_from=today - timedelta(days=30),
                                   date_to=today - timedelta(days=7), by=admin, tz=tz)
        pay.export(paid, admin)
        pay.mark_paid(paid, admin)
    except ValidationError:
        pass  # no PayPal visit to pay in those days
    try:
        exported, _ = pay.create_batch(method="bank", date_from=today - timedelta(days=30),
                                       date_to=today - timedelta(days=2), by=admin, tz=tz)
        pay.export(exported, admin)
    except ValidationError:
        pass


def demo_pool(users, locations):
    for area in (demo_board, demo_qualifications, demo_ratings, demo_conversation, demo_pay):
        area(users, locations)
