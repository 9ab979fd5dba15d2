"""Demo data: a home-and-electrical retailer with three regions, a contact centre
and an online support team, its staff, one login per role, and six months of
scored evaluations with real differences between locations and people.

Deterministic (seeded) and idempotent: organisation rows are matched by their
codes, users by username, and evaluations are only generated once.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from autoqa.defaults import install_defaults as install_autoqa_defaults
from config.demo_pool import demo_pool
from qa import roles
from qa.models import Answer, Evaluation, ReportSubmission, User, VisitReport
from qa.services import score_and_store
from scorecards.defaults import EMAIL_AND_CHAT, PHONE_CALL, STORE_VISIT, install_default_scorecards
from scorecards.models import Channel, Scorecard
from scorecards.services import load_structure, spec_for
from shops.models import Assignment, AssignmentEvent, Employee, Location, Region, Shopper

DEMO_PASSWORD = "service-first-2026"
SEED = 20261124

REGIONS = [("north", "North"), ("midlands", "Midlands"), ("south", "South")]

# (code, name, region, kind, address, lat, lon, quality): quality is the chance
# that an item is done well there, so locations differ the way real ones do.
LOCATIONS = [
    ("N01", "Leeds Briggate", "north", "store", "112 Briggate, Leeds LS1 6BR", "53.798100", "-1.542800", 0.90),
    ("N02", "Manchester Arndale", "north", "store", "Arndale Centre, Manchester M4 3AQ", "53.483000", "-2.240600", 0.74),
    ("N03", "Newcastle Eldon Square", "north", "store", "Eldon Square, Newcastle NE1 7JB", "54.975300", "-1.615700", 0.82),
    ("N90", "Leeds Contact Centre", "north", "call_centre", "Wellington Place, Leeds LS1 4AP", "53.796000", "-1.557000", 0.80),
    ("M01", "Birmingham Bullring", "midlands", "store", "Bullring, Birmingham B5 4BU", "52.477700", "-1.893800", 0.68),
    ("M02", "Nottingham Victoria", "midlands", "store", "Victoria Centre, Nottingham NG1 3QN", "52.957200", "-1.147800", 0.86),
    ("M03", "Leicester Highcross", "midlands", "store", "Highcross, Leicester LE1 4AN", "52.637300", "-1.138800", 0.78),
    ("M90", "Online Support", "midlands", "online", "Email, live chat and social media", None, None, 0.84),
    ("S01", "London Oxford Street", "south", "store", "318 Oxford Street, London W1C 1HF", "51.515200", "-0.145300", 0.88),
    ("S02", "Brighton Churchill Square", "south", "store", "Churchill Square, Brighton BN1 2RG", "50.823100", "-0.146900", 0.71),
    ("S03", "Bristol Cabot Circus", "south", "store", "Cabot Circus, Bristol BS1 3BX", "51.458900", "-2.585000", 0.81),
    ("S04", "Reading Oracle", "south", "branch", "The Oracle, Reading RG1 2AG", "51.453800", "-0.970600", 0.93),
]

FIRST_NAMES = [
    "Amira", "Ben", "Chloe", "Daniel", "Ellie", "Farid", "Grace", "Harry", "Isla", "Jamal", "Katie", "Liam",
    "Maya", "Nathan", "Olivia", "Priya", "Quentin", "Rosie", "Sam", "Tara", "Umar", "Vanessa", "Will", "Yasmin",
    "Zoe", "Aidan", "Bethany", "Callum", "Dana", "Ethan",
]
LAST_NAMES = [
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan",
    "Lewis", "Morris", "Novak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walker", "Wright",
]
TITLES = {
    "store": ["Store manager", "Sales associate", "Sales associate", "Customer service advisor", "Team leader"],
    "branch": ["Branch manager", "Sales associate", "Sales associate", "Customer service advisor", "Team leader"],
    "call_centre": ["Contact centre advisor", "Contact centre advisor", "Contact centre advisor", "Complaints specialist", "Team leader"],
    "online": ["Live chat agent", "Email support agent", "Social media agent", "Live chat agent", "Team leader"],
}
EMPLOYEES_PER_LOCATION = 5


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


DEMO_USERS = [
    DemoUser("admin", "Alex", "Morgan", roles.ADMINISTRATOR),
    DemoUser("lead", "Priya", "Raman", roles.QA_LEAD),
    DemoUser("reviewer", "Tom", "Hartley", roles.QA_REVIEWER),
    DemoUser("shopper", "Jess", "Carter", roles.SHOPPER),
    DemoUser("manager", "Grace", "Okafor", roles.MANAGER),
    DemoUser("employee", "Ben", "Clarke", roles.EMPLOYEE),
]
EXTRA_SHOPPERS = [DemoUser("shopper2", "Ravi", "Mehta", roles.SHOPPER), DemoUser("shopper3", "Lucy", "Barnes", roles.SHOPPER)]
EVALUATIONS_PER_LOCATION = 26
BRIEFS = [
    "Ask to return a faulty kettle without a receipt. Note whether the return policy is explained correctly "
    "and whether you are offered a repair, a replacement or a refund.",
    "Ask which cordless vacuum suits a home with two dogs. Note whether the employee asks clarifying questions "
    "before recommending one, and whether they lead you to it.",
    "Complain politely that a washing machine delivery promised for Tuesday did not arrive. Note whether you are "
    "given a reference number and a realistic time for resolution.",
    "Ask about the warranty on a fridge-freezer and whether delivery and removal of the old one are free. "
    "Check that the terms are made clear before any payment.",
    "Buy a phone charger under £20 and note how long you wait at the till, and whether the employee thanks you.",
]


def ensure_organisation() -> tuple[dict, dict]:
    regions = {}
    for code, name in REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    locations = {}
    rng = random.Random(SEED)
    for code, name, region, kind, address, lat, lon, _quality in LOCATIONS:
        locations[code], _ = Location.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "region": regions[region], "kind": kind, "address": address,
                "latitude": Decimal(lat) if lat else None, "longitude": Decimal(lon) if lon else None,
            },
        )
        for n in range(EMPLOYEES_PER_LOCATION):
            employee_code = f"{code}-{n + 1:02d}"
            Employee.objects.get_or_create(
                employee_code=employee_code,
                defaults={
                    "location": locations[code],
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "job_title": TITLES[kind][n],
                },
            )
    return regions, locations


def ensure_users(regions) -> dict[str, User]:
    users = {}
    for demo in DEMO_USERS + EXTRA_SHOPPERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"first_name": demo.first_name, "last_name": demo.last_name,
                      "email": f"{demo.username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if demo.role == roles.ADMINISTRATOR:
                user.is_staff = user.is_superuser = True
            user.save()
        user.groups.add(Group.objects.get(name=demo.role))
        users[demo.username] = user
        if demo.role == roles.SHOPPER:
            Shopper.objects.get_or_create(user=user, defaults={"home_region": regions["north"]})
    users["manager"].regions.add(regions["north"])
    employee = Employee.objects.get(employee_code="N01-02")
    if employee.user_id is None:
        employee.user = users["employee"]
        employee.name = "Ben Clarke"
        employee.save()
    return users


def demo_value(item, quality: float, rng: random.Random) -> tuple[str, bool]:
    """An answer drawn so that better locations and people do better, item by item."""
    if item.na_allowed and rng.random() < 0.2:
        return "", True
    good = rng.random() < quality
    if item.critical:
        return ("no" if rng.random() < (1 - quality) * 0.12 else "yes"), False
    if item.answer_type == "yes_no":
        return ("yes" if good else "no"), False
    if item.answer_type == "yes_partial_no":
        return ("yes" if good else rng.choice(["partial", "partial", "no"])), False
    if item.answer_type == "scale_5":
        return str(max(1, min(5, round(1 + 4 * quality + rng.uniform(-1.2, 0.8))))), False
    if item.answer_type == "number":
        bands = sorted(b["limit"] for b in item.thresholds)
        if good:
            return str(bands[0]), False
        return str(rng.choice(bands[1:] + [bands[-1] * 2])), False
    return ("Offer the customer a reference number at the start." if not good else ""), False


def scorecards_by_channel() -> dict[str, Scorecard]:
    """The default scorecards, by name: other scorecards may share their channels."""
    found = {s.name: s for s in Scorecard.objects.filter(
        name__in=[STORE_VISIT["name"], PHONE_CALL["name"], EMAIL_AND_CHAT["name"]])}
    return {
        "store": found[STORE_VISIT["name"]],
        "phone": found[PHONE_CALL["name"]],
        "written": found[EMAIL_AND_CHAT["name"]],
    }


def generate_evaluations(users, locations) -> int:
    rng = random.Random(SEED)
    cards = scorecards_by_channel()
    versions = {key: card.published_version for key, card in cards.items()}
    structures = {key: load_structure(v) for key, v in versions.items()}
    specs = {key: spec_for(versions[key], structures[key]) for key in versions}
    shoppers = [users["shopper"], users["shopper2"], users["shopper3"]]
    reviewers = [users["reviewer"], users["lead"]]
    now = timezone.now()
    quality_of = {code: quality for code, *_rest, quality in LOCATIONS}
    created = 0
    for code, location in locations.items():
        staff = list(location.employees.order_by("employee_code"))
        # Each person differs from their location's level, by a fixed amount.
        offsets = {e.pk: rng.uniform(-0.12, 0.08) for e in staff}
        for n in range(EVALUATIONS_PER_LOCATION):
            if location.kind == "online":
                key, channel, source = "written", rng.choice([Channel.EMAIL, Channel.CHAT, Channel.SOCIAL]), "reviewer"
            elif location.kind == "call_centre" or rng.random() < 0.3:
                key, channel, source = "phone", Channel.PHONE_CALL, "reviewer"
            else:
                key, channel, source = "store", Channel.STORE_VISIT, "shopper"
            employee = rng.choice(staff)
            days_ago = rng.uniform(1, 182)
            # A gentle improvement over six months where coaching took hold.
            trend = (182 - days_ago) / 182 * 0.05
            quality = max(0.2, min(0.99, quality_of[code] + offsets[employee.pk] + trend))
            when = (now - timedelta(days=days_ago)).replace(
                hour=rng.randint(9, 19), minute=rng.choice([0, 10, 20, 30, 40, 50]), second=0, microsecond=0
            )
            evaluator = rng.choice(shoppers if source == "shopper" else reviewers)
            pending = source == "shopper" and days_ago < 4
            evaluation = Evaluation.objects.create(
                version=versions[key], employee=employee, location=location, channel=channel, source=source,
                interaction_at=when, evaluator=evaluator,
                status=Evaluation.Status.SUBMITTED if pending else Evaluation.Status.RELEASED,
                submitted_at=when + timedelta(hours=2),
                released_at=None if pending else when + timedelta(days=2),
            )
            answers = []
            for section in structures[key]:
                for item in section.items.all():
                    value, na = demo_value(item, quality, rng)
                    comment = ""
                    if value == "no" and not na:
                        comment = rng.choice([
                            "Had to ask twice before anyone helped.",
                            "Employee was on their phone at the till.",
                            "Said the returns policy was 14 days; it is 30.",
                            "No reference number given for the complaint.",
                            "Promised a call back the same day; none came.",
                        ])
                    answers.append(Answer(evaluation=evaluation, item=item, value=value, na=na, comment=comment))
            Answer.objects.bulk_create(answers)
            score_and_store(evaluation, specs[key])
            if source == "shopper":
                attach_visit(evaluation, rng, pending)
            created += 1
    return created


def attach_visit(evaluation, rng, pending):
    """The assignment and visit report behind a demo shopper evaluation, so queues and pay pages have data."""
    visit_day = timezone.localtime(evaluation.interaction_at).date()
    shopper = Shopper.objects.get(user=evaluation.evaluator)
    status = Assignment.Status.SUBMITTED if pending else Assignment.Status.APPROVED
    released = evaluation.released_at
    assignment = Assignment.objects.create(
        location=evaluation.location, version=evaluation.version, shopper=shopper, channel="store_visit",
        window_start=visit_day - timedelta(days=2), window_end=visit_day + timedelta(days=3), brief=rng.choice(BRIEFS),
        fee=Decimal("25.00"), status=status, created_by=User.objects.get(username="lead"),
        receipt_required=True, approved_at=released,
        paid_at=released + timedelta(days=10) if released and released < timezone.now() - timedelta(days=14) else None,
    )
    # Each step dated when it would have happened (`at` is set on creation, so it is moved afterwards): offered
    # and accepted before the window opened, submitted when the report came, approved when it was released.
    offered = evaluation.interaction_at - timedelta(days=4)
    steps = [("", "offered", offered), ("offered", "accepted", offered + timedelta(hours=3)),
             ("accepted", "submitted", evaluation.submitted_at)] + (
        [] if pending else [("submitted", "approved", released)])
    for previous, new, when in steps:
        event = AssignmentEvent.objects.create(assignment=assignment, from_status=previous, to_status=new)
        AssignmentEvent.objects.filter(pk=event.pk).update(at=when)
    minutes = rng.randint(8, 25)
    report = VisitReport.objects.create(
        evaluation=evaluation, assignment=assignment, arrived_at=evaluation.interaction_at,
        departed_at=evaluation.interaction_at + timedelta(minutes=minutes),
        narrative="Visited as briefed. " + ("The employee was welcoming and explained the policy clearly."
                                            if (evaluation.overall_score or 0) >= 80 else
                                            "I had to wait and the answer I got did not match the policy."),
        employee_description="", flags=[] if rng.random() < 0.8 else ["no_evidence"],
        first_submitted_at=evaluation.submitted_at, last_submitted_at=evaluation.submitted_at,
    )
    ReportSubmission.objects.create(key=f"demo-{evaluation.pk}", report=report)


DEMO_CALLS = [
    [("agent", "Good morning, thank you for calling Northwind Telecom, my name is Priya. How can I help you?"),
     ("customer", "Hello. My new router keeps switching itself off."),
     ("agent", "I am sorry to hear that. Let me check your line. Sorry to keep you waiting."),
     ("agent", "I will send a replacement today. Is there anything else I can help you with today?")],
    [("agent", "Northwind Telecom, this is Tom speaking."),
     ("customer", "I want to cancel my contract. I have asked three times already."),
     ("agent", "I understand how frustrating that must be. I will put you through to a manager now.")],
    [("agent", "Thanks for your order. Can I take a contact number?"),
     ("customer", "Yes, it is 0 7 9 1 1, 1 2 3 4 5 6."),
     ("agent", "You're welcome. It's been a pleasure helping you.")],
]
REVIEWED_CALL = [
    ("agent", "Account number?"),
    ("customer", "Hi, it's 4 4 1 9 2 7 3 0. My broadband keeps dropping in the evenings."),
    ("agent", "Right. I can see a fault in your area. I completely understand how frustrating that is."),
    ("agent", "An engineer will fix it by Thursday and I will call you back on Friday to check."),
    ("customer", "Thank you."),
    ("agent", "Is there anything else I can help you with today?"),
]


def demo_audio(turns, tone_seconds):
    """A synthesised two-channel call when espeak-ng and sox are installed (the task worker then transcribes
    it), else a tone of that length: no real customer's voice ships with the demo."""
    from autoqa import speech
    from qa.recordings import wav_bytes

    return speech.conversation(turns, min_seconds=tone_seconds) if speech.available() else wav_bytes(tone_seconds)


DEMO_WORD_SECONDS, DEMO_TURN_GAP = 0.38, 0.8


def demo_transcript(call, turns):
    """The call's transcript written from the script its audio was synthesised from, redacted as the
    worker's would be, and its automatic checks run at once: the demo shows transcripts, automatic scores
    and (once a reviewer submits) pairs for the trust page without running the speech model. A transcript
    made here is done: the task worker leaves it (autoqa.services._claim takes only waiting ones)."""
    from autoqa import redaction
    from autoqa.evaluation import evaluate_interaction
    from autoqa.models import Transcript
    from qa.models import Recording

    words, at = [], 0.5
    for speaker, text in turns:
        for word in text.split():
            words.append({"s": round(at, 2), "e": round(at + DEMO_WORD_SECONDS * 0.9, 2), "w": word, "sp": speaker})
            at += DEMO_WORD_SECONDS
        at += DEMO_TURN_GAP
    words, spans = redaction.redact_words(words)
    recording = Recording.objects.filter(interaction=call).first()
    Transcript.objects.update_or_create(interaction=call, defaults={
        "status": Transcript.Status.DONE, "error": "", "words": words, "redactions": spans, "stereo": True,
        "text": " ".join(w["w"] for w in words), "duration_seconds": round(at, 1),
        "model_name": "demo script (the words the demo audio was made from)",
        "recording_sha256": getattr(recording, "sha256", "")})
    return evaluate_interaction(call)


def demo_interactions(users, locations):
    """A few calls (synthesised speech, or a tone, standing in for the audio: no real customer's
    voice ships with the demo) and a billing complaint by email, with its timeline."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qa.models import Interaction
    from qa.recordings import store_recording

    from autoqa.services import enabled as transcription_enabled

    transcription_on = transcription_enabled()
    now = timezone.now()
    centre = locations["N90"]
    staff = list(centre.employees.order_by("employee_code"))
    for n in range(3):
        occurred = now - timedelta(days=n + 1, hours=2)
        complaint = {} if n else {
            "complaint_type": Interaction.ComplaintType.PRODUCT_DEFECT, "received_at": occurred - timedelta(hours=30),
            "acknowledged_at": occurred, "resolved_at": None}
        call = Interaction.objects.create(
            channel=Channel.PHONE_CALL, location=centre, employee=staff[n], direction="inbound",
            occurred_at=occurred, customer_reference=f"CALL-{4101 + n}", created_by=users["reviewer"], **complaint)
        store_recording(call, SimpleUploadedFile(f"call-{n}.wav", demo_audio(DEMO_CALLS[n], 12 + 4 * n)),
                        users["reviewer"])
        if not transcription_on:  # else the task worker transcribes what the demo audio says (the live pipeline)
            demo_transcript(call, DEMO_CALLS[n])
    received = now - timedelta(days=6)
    email = Interaction.objects.create(
        channel=Channel.EMAIL, location=locations["M90"], employee=locations["M90"].employees.first(),
        occurred_at=received, customer_reference="BILL-2207", complaint_type=Interaction.ComplaintType.BILLING,
        received_at=received, acknowledged_at=received + timedelta(hours=30), resolved_at=received + timedelta(days=4),
        created_by=users["reviewer"],
        conversation="Customer: I was charged twice for my kettle order. This is unacceptable.\n\n"
                     "Agent (next day): Sorry to keep you waiting. Your reference is BILL-2207; "
                     "we will refund the second charge within 3 working days.",
    )
    # Its automatic checks and spotlights (a complaint) at once, without waiting for the task worker, as the
    # calls' when transcription is off (demo_transcript; "cancel my contract" is a cancellation); with it on,
    # the calls get theirs once the worker has transcribed them.
    from autoqa.evaluation import evaluate_interaction

    evaluate_interaction(email)


def demo_reviews(users, locations):
    """A released call review of the demo employee with comments pinned to moments, and an
    open blind calibration session, so each role sees the scoring screen's results."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qa import calibration, scoring_sessions
    from qa.models import Interaction
    from qa.recordings import store_recording
    from qa.services import AnswerData

    employee = Employee.objects.get(employee_code="N01-02")
    version = Scorecard.objects.get(name=PHONE_CALL["name"]).published_version
    call = Interaction.objects.create(
        channel=Channel.PHONE_CALL, location=employee.location, employee=employee, direction="inbound",
        occurred_at=timezone.now() - timedelta(days=2, hours=3), customer_reference="CALL-3990",
        created_by=users["reviewer"])
    store_recording(call, SimpleUploadedFile("call-3990.wav", demo_audio(REVIEWED_CALL, 30)), users["reviewer"])
    demo_transcript(call, REVIEWED_CALL)  # checked before the review: its submission keeps the pairs for trust
    evaluation, _ = scoring_sessions.start_review(call, version, users["reviewer"])
    answers, pins = {}, []
    for section in version.sections.all():
        for item in section.items.all():
            value, na = ("", True) if item.auto_answer or (item.na_allowed and "hold" in item.question.lower()) else (
                {"number": "2", "scale_5": "4"}.get(item.answer_type, "yes"), False)
            comment = ""
            if item.question.startswith("Greeted the caller"):
                value, comment = "no", "Opened with “Account number?” and no name or company."
                pins.append((3.5, item, "Listen here: the call starts without a greeting."))
            if item.question.startswith("Closed by checking"):
                pins.append((23, item, "Good close: asked whether anything else was needed."))
            answers[item.pk] = AnswerData(value=value, na=na, comment=comment)
    for at, item, text in pins:
        scoring_sessions.pin_comment(evaluation, at_seconds=at, text=text, item_id=item.pk, by=users["reviewer"])
    scoring_sessions.submit_review(evaluation, scoring_sessions.ReviewData(
        answers=answers, comments="Warm and accurate once the call got going; start with a greeting every time."),
        revision=None, by=users["reviewer"])
    second = Interaction.objects.filter(customer_reference="CALL-4102").first()
    if second is not None:
        calibration.create_session(interaction=second, version=version, lead=users["lead"],
                                   reviewers=[users["reviewer"]], threshold=34,
                                   note="Score the greeting and the hold strictly by the phone standard.")


def open_assignments(users, locations):
    """What the demo shopper finds on their phone: offers, accepted visits, one returned report."""
    shopper = Shopper.objects.get(user=users["shopper"])
    today = timezone.localdate()
    lead = users["lead"]
    version = Scorecard.objects.get(name=STORE_VISIT["name"]).published_version
    plans = [
        ("N02", None, Assignment.Status.OFFERED, 1, BRIEFS[1], "after 4 pm"),
        ("N03", shopper, Assignment.Status.OFFERED, 2, BRIEFS[2], ""),
        ("N01", shopper, Assignment.Status.ACCEPTED, 0, BRIEFS[0], "weekday morning"),
        ("M01", shopper, Assignment.Status.ACCEPTED, 3, BRIEFS[3], ""),
    ]
    for code, who, status, offset, brief, time_of_day in plans:
        assignment = Assignment.objects.create(
            location=locations[code], version=version, shopper=who, channel="store_visit",
            window_start=today + timedelta(days=offset), window_end=today + timedelta(days=offset + 4),
            time_of_day=time_of_day, brief=brief, fee=Decimal("25.00"), status=Assignment.Status.OFFERED,
            created_by=lead, receipt_required=True, bar_days=30,
        )
        AssignmentEvent.objects.create(assignment=assignment, to_status=Assignment.Status.OFFERED, by=lead)
        if status == Assignment.Status.ACCEPTED:
            assignment.status = status
            assignment.save()
            AssignmentEvent.objects.create(assignment=assignment, from_status="offered", to_status=status,
                                           by=users["shopper"])


def _dated(model, pk, **fields):
    """Set times a demo record would have had (auto_now_add fields cannot be given on create)."""
    model.objects.filter(pk=pk).update(**fields)


def demo_plans(users, locations):
    """Three action plans the manager of the North finds: one being worked on, one with an overdue action (about
    the demo employee, who acknowledges it), one closed after its follow-up re-shops met the target."""
    from plans.models import ActionPlan, CorrectiveAction, FollowUp, RootCause

    now, today = timezone.now(), timezone.localdate()
    manager, lead = users["manager"], users["lead"]
    S = ActionPlan.Status

    def plan(*, days_ago, **fields):
        made = ActionPlan(owner=manager, created_by=lead, **fields)
        made._history_user = lead
        made.save()
        opened = now - timedelta(days=days_ago)
        _dated(ActionPlan, made.pk, created_at=opened)
        ActionPlan.history.filter(id=made.pk).update(history_date=opened)
        return made

    def action(of, text, owner, due, done_days_ago=None, note=""):
        # Each step in the history when it happened: added with the plan, done when it was done.
        made = CorrectiveAction(plan=of, text=text, owner=owner, due_date=due)
        made._history_user = manager
        made.save()
        CorrectiveAction.history.filter(id=made.pk).update(
            history_date=ActionPlan.objects.get(pk=of.pk).created_at + timedelta(hours=2))
        if done_days_ago is not None:
            made.done_at, made.done_by, made.done_note = now - timedelta(days=done_days_ago), owner, note
            made._history_user = owner
            made.save()
            CorrectiveAction.history.filter(history_id=CorrectiveAction.history.filter(id=made.pk).latest(
                "history_id").history_id).update(history_date=made.done_at)
        return made

    def failing(**where):
        return list(Evaluation.objects.counted().filter(**where).order_by("overall_score", "-pk")[:3])

    arndale = locations["N02"]
    working = plan(
        days_ago=12, title="Returns policy and greeting: Manchester Arndale", location=arndale,
        origin=ActionPlan.Origin.TARGET, status=S.IN_PROGRESS, root_cause=RootCause.TRAINING,
        observed="Average score 71% over the last 30 days; the returns policy was misquoted in three visits",
        root_cause_text="New starters were never shown the 30-day returns policy; the till guide still says 14 days.",
        signed_off_by=manager, signed_off_at=now - timedelta(days=10))
    working.evaluations.set(failing(location=arndale, interaction_at__lt=now - timedelta(days=12)))
    action(working, "Replace the till guide with the current returns policy", manager, today - timedelta(days=5),
           done_days_ago=6, note="New guide printed and at every till.")
    action(working, "Brief every sales associate on the returns policy in the morning huddle", manager,
           today + timedelta(days=9))

    ben = Employee.objects.get(employee_code="N01-02")
    # Linked: only Ben's failing evaluations from before the plan was opened; its reason is a critical failure only
    # when one of them is one (else it was opened by hand, from what the QA lead heard).
    ben_failing = list(Evaluation.objects.counted().filter(
        employee=ben, interaction_at__lt=now - timedelta(days=20)).filter(
        Q(overall_score__lt=80) | Q(critical_failed=True)).order_by("-critical_failed", "overall_score", "-pk")[:3])
    overdue = plan(
        days_ago=20, title="Greet every caller: Ben Clarke", employee=ben,
        origin=(ActionPlan.Origin.CRITICAL if any(e.critical_failed for e in ben_failing)
                else ActionPlan.Origin.MANUAL), status=S.OPEN, root_cause=RootCause.TRAINING,
        follow_up_kind=ActionPlan.FollowUpKind.REREVIEW,
        observed="Calls opened without a greeting or the company's name",
        root_cause_text="Ben moved from the shop floor to the phones without the call-handling induction.",
        acknowledged_at=now - timedelta(days=18))
    overdue.evaluations.set(ben_failing)
    action(overdue, "Book Ben on the call-handling induction", users["reviewer"], today - timedelta(days=4))

    eldon = locations["N03"]
    good = list(Evaluation.objects.counted().filter(
        location=eldon, visit__assignment__isnull=False, overall_score__gte=80,
        interaction_at__gte=now - timedelta(days=60)).order_by("interaction_at")[:2])
    closed = plan(
        days_ago=75, title="Queue at the tills: Newcastle Eldon Square", location=eldon,
        origin=ActionPlan.Origin.ITEM_RATE, status=S.CLOSED if len(good) == 2 else S.VERIFYING,
        root_cause=RootCause.STAFFING, follow_up_count=2,
        observed="“Served within 5 minutes” failed in 6 of the last 10 visits",
        root_cause_text="Saturday rota left one till open from 12 to 2 pm.",
        signed_off_by=manager, signed_off_at=now - timedelta(days=73), verification_round=1,
        follow_up_started_at=now - timedelta(days=61),
        closed_at=max(e.released_at for e in good) if len(good) == 2 else None)
    closed.evaluations.set(failing(location=eldon, source=Evaluation.Source.SHOPPER,
                                   interaction_at__lt=now - timedelta(days=75)))
    action(closed, "Add a second till to the Saturday rota from 12 to 2 pm", manager, today - timedelta(days=62),
           done_days_ago=63, note="Rota changed from the first Saturday of the month.")
    for evaluation in good:
        FollowUp.objects.create(plan=closed, round=1, assignment=evaluation.visit.assignment)


def demo_coaching(users):
    """The demo employee's coaching: a session confirmed by both sides, one awaiting his confirmation and one
    scheduled on the reviewed call with the greeting to work on."""
    from coaching.models import Attendance, CoachingSession, Goal, SessionTemplate

    now = timezone.now()
    coach = users["reviewer"]
    ben = Employee.objects.get(employee_code="N01-02")
    evaluations = list(Evaluation.objects.counted().filter(employee=ben).order_by("-interaction_at"))
    call = next((e for e in evaluations if e.interaction_id), None)
    older = [e for e in evaluations if not e.interaction_id]
    templates = {t.kind: t for t in SessionTemplate.objects.all()}

    def session(title, days, evaluations, *, template=None, agenda="", notes="", coach_confirmed=False,
                employee_confirmed=False, goals=()):
        when = (now + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        made = CoachingSession(coach=coach, title=title, scheduled_at=when, template=template,
                               agenda=agenda or (template.agenda if template else ""), notes=notes,
                               coach_confirmed_at=when + timedelta(hours=2) if coach_confirmed else None)
        made._history_user = coach
        made.save()
        made.evaluations.set([e for e in evaluations if e])
        attendance = Attendance(session=made, employee=ben, confirmed_at=when + timedelta(hours=5)
                                if employee_confirmed else None, confirmed_by=users["employee"]
                                if employee_confirmed else None,
                                comment="Useful: I have the greeting on a card by the phone." if employee_confirmed
                                else "")
        attendance._history_user = users["employee"] if employee_confirmed else coach
        attendance.save()
        for text, due_days, done in goals:
            goal = Goal(session=made, text=text, due_on=timezone.localdate(when) + timedelta(days=due_days), done=done)
            goal._history_user = coach
            goal.save()
        return made

    session("Onboarding: Ben Clarke", -40, older[-2:], template=templates.get("onboarding"),
            notes="Went through the scorecard item by item; Ben knows the return policy well.",
            coach_confirmed=True, employee_confirmed=True,
            goals=[("Score at least 85% in your next five evaluations", 30, True)])
    session("Returns policy refresher: Ben Clarke", -3, older[:2],
            notes="Listened to two visits; agreed to offer repair, replacement or refund every time.",
            coach_confirmed=True, goals=[("Offer all three options on every faulty-product return", 14, False)])
    session("Greeting every caller: Ben Clarke", 2, [call], template=templates.get("critical"))


@transaction.atomic
def seed_demo() -> dict:
    """Load the demo data; running it again changes nothing."""
    from qa.roles import ensure_role_groups

    from reports.services import ensure_default_targets

    ensure_role_groups()
    install_default_scorecards()
    # The automatic checks and phrase alerts autoqa's data migrations create; again here for a database whose
    # rows were removed since (a flush), as the scorecards and targets are.
    install_autoqa_defaults()
    ensure_default_targets()
    regions, locations = ensure_organisation()
    users = ensure_users(regions)
    demo_evaluators = list(users.values())
    created = 0
    if not Evaluation.objects.filter(evaluator__in=demo_evaluators).exists():
        created = generate_evaluations(users, locations)
        open_assignments(users, locations)
        demo_interactions(users, locations)
        demo_reviews(users, locations)
        demo_plans(users, locations)
        demo_coaching(users)
        demo_pool(users, locations)
    return {"evaluations_created": created, "users": DEMO_USERS}
