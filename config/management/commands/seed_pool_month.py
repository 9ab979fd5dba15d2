"""Grow the demo's shopper pool to a planner's month at scale (run after seed_demo).

The small demo (three shoppers, eight visits) shows every page of the pool but not what a planner meets in a real
month: hundreds of shoppers, open visits and applicants, and a pay batch over hundreds of visits. This command adds
them, the same every time (one seeded random generator) and only once: shoppers and locations are found by their
username or code, and the month's visits, applications, invitations and approved visits are made only if no visit
at a location of this command exists yet, so a second run adds nothing. Each approved visit has its report
(a released evaluation and the visit report), as a reviewer's approval leaves it, so ratings and pay agree.

Rows that carry no rule are written with bulk_create (their history rows with simple_history's
bulk_create_with_history where the model keeps one); bars and applications go through the pool's services, which
hold the rules (a bar needs its reason in the history; an application is refused to a shopper who may not take the
visit).
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config import demo

SEED = 20261201
LOCATION_PREFIX = "PM"
USERNAME_PREFIX = "pool"
# Places around the demo stores: (town, district, lat, lng, region code).
TOWNS = [
    ("Leeds", "LS", 53.7981, -1.5428, "north"), ("Manchester", "M", 53.4830, -2.2406, "north"),
    ("Newcastle", "NE", 54.9753, -1.6157, "north"), ("York", "YO", 53.9590, -1.0815, "north"),
    ("Sheffield", "S", 53.3811, -1.4701, "north"), ("Birmingham", "B", 52.4777, -1.8938, "midlands"),
    ("Nottingham", "NG", 52.9572, -1.1478, "midlands"), ("Leicester", "LE", 52.6373, -1.1388, "midlands"),
    ("Coventry", "CV", 52.4068, -1.5197, "midlands"), ("London", "N", 51.5152, -0.1453, "south"),
    ("Brighton", "BN", 50.8231, -0.1469, "south"), ("Bristol", "BS", 51.4589, -2.5850, "south"),
    ("Reading", "RG", 51.4538, -0.9706, "south"), ("Oxford", "OX", 51.7520, -1.2577, "south"),
]
STREETS = ["High Street", "Market Place", "Retail Park", "Station Road", "Shopping Centre", "Arcade", "Quays",
           "Parade", "Broadway", "Gate"]
CALL_NOTES = ["I can call on a weekday morning.", "Free most afternoons.", "", "I have done these calls before.",
              "Evenings after 6 pm suit me best.", ""]
# IBANs that pass python-stdnum's check (GB, DE, NL, FR), each with its bank's BIC.
ACCOUNTS = [("GB33BUKB20201555555555", "BUKBGB22"), ("GB82WEST12345698765432", "NWBKGB2L"),
            ("DE89370400440532013000", "COBADEFFXXX"), ("NL91ABNA0417164300", "ABNANL2A"),
            ("FR1420041010050500013M02606", "PSSTFRPPXXX")]


class Command(BaseCommand):
    help = "Grow the demo's shopper pool to a month at scale (after seed_demo). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--shoppers", type=int, default=300, help="Shoppers to add (default 300).")
        parser.add_argument("--visits", type=int, default=500,
                            help="Open visits in the coming 30 days (default 500); applications, invitations and "
                                 "last month's approved visits scale with it.")
        parser.add_argument("--locations", type=int, default=80, help="Locations to add (default 80).")

    def handle(self, *args, shoppers, visits, locations, **options):
        from pool.models import Programme
        if not Programme.objects.filter(name="High street visits").exists():
            raise CommandError("Run seed_demo first: this command grows the demo's programmes.")
        rng = random.Random(SEED)
        with transaction.atomic():
            new_locations = self.locations(rng, locations)
            new_shoppers = self.shoppers(rng, shoppers)
        made = None
        with transaction.atomic():
            made = self.month(rng, visits)
        self.stdout.write(f"Added {new_locations} locations and {new_shoppers} shoppers.")
        if made is None:
            self.stdout.write("The month's visits were already seeded; nothing duplicated.")
        else:
            self.stdout.write("Added {open} open visits, {applications} applications ({refused} refused by the "
                              "rules), {invitations} invitations and {approved} approved unpaid visits.".format(**made))

    # Locations -----------------------------------------------------------------------------------------------
    def locations(self, rng, count) -> int:
        from shops.models import Location, Region

        regions = {r.code: r for r in Region.objects.all()}
        existing = set(Location.objects.filter(code__startswith=LOCATION_PREFIX).values_list("code", flat=True))
        rows = []
        for n in range(1, count + 1):
            town, district, lat, lng, region = TOWNS[(n - 1) % len(TOWNS)]
            street = STREETS[rng.randrange(len(STREETS))]
            dlat, dlng = rng.uniform(-0.12, 0.12), rng.uniform(-0.18, 0.18)
            code = f"{LOCATION_PREFIX}{n:03d}"
            if code in existing or region not in regions:
                continue
            rows.append(Location(
                code=code, name=f"{town} {street}", region=regions[region], kind=Location.Kind.STORE,
                address=f"{rng.randint(1, 200)} {street}, {town} {district}{rng.randint(1, 20)}",
                latitude=Decimal(f"{lat + dlat:.6f}"), longitude=Decimal(f"{lng + dlng:.6f}")))
        Location.objects.bulk_create(rows)
        return len(rows)

    # Shoppers ------------------------------------------------------------------------------------------------
    def shoppers(self, rng, count) -> int:
        from pool import ratings_shoppers
        from pool.models import Conflict, Credential, Qualification, ShopperProfile
        from qa import roles
        from shops.models import Location, Region, Shopper

        User = get_user_model()
        usernames = [f"{USERNAME_PREFIX}{n:04d}" for n in range(1, count + 1)]
        existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        # Every choice is drawn for every shopper, made or not, so a shopper's details never depend on which
        # others existed.
        plans = []
        for username in usernames:
            first, last = rng.choice(demo.FIRST_NAMES), rng.choice(demo.LAST_NAMES)
            town = TOWNS[rng.randrange(len(TOWNS))]
            plans.append(dict(
                username=username, first=first, last=last, town=town,
                lat=town[2] + rng.uniform(-0.25, 0.25), lng=town[3] + rng.uniform(-0.35, 0.35),
                km=rng.choice([10, 15, 25, 25, 40, 60, 100]), pay=rng.random(), account=rng.choice(ACCOUNTS),
                barred=rng.random() < 0.04, conflict=rng.random() < 0.08, quiz=rng.random(), identity=rng.random()))
        plans = [p for p in plans if p["username"] not in existing]
        if not plans:
            return 0
        password = make_password(demo.DEMO_PASSWORD)
        users = User.objects.bulk_create([
            User(username=p["username"], first_name=p["first"], last_name=p["last"], password=password,
                 email=f"{p['username']}@example.com") for p in plans])
        users = {u.username: u for u in User.objects.filter(username__in=[p["username"] for p in plans])}
        group = Group.objects.get(name=roles.SHOPPER)
        User.groups.through.objects.bulk_create([User.groups.through(user=u, group=group) for u in users.values()])
        regions = {r.code: r for r in Region.objects.all()}
        Shopper.objects.bulk_create([Shopper(user=users[p["username"]], home_region=regions[p["town"][4]])
                                     for p in plans])
        shoppers = {s.user.username: s for s in Shopper.objects.filter(user__in=users.values()).select_related("user")}
        profiles = []
        for p in plans:
            profile = ShopperProfile(
                shopper=shoppers[p["username"]], home_area=f"{p['town'][0]} {p['town'][1]}{int(p['pay'] * 20) + 1}",
                home_latitude=Decimal(f"{p['lat']:.6f}"), home_longitude=Decimal(f"{p['lng']:.6f}"),
                travel_km=p["km"])
            if p["pay"] < 0.5:
                profile.payment_method, profile.paypal_email = "paypal", f"{p['username']}.pay@example.com"
            elif p["pay"] < 0.93:
                profile.payment_method = "bank"
                profile.account_name = f"{p['first']} {p['last']}"
                profile.iban, profile.bic = p["account"]
            # else: no payment method yet (left out of pay batches, listed with the reason)
            profiles.append(profile)
        bulk_create_with_history(profiles, ShopperProfile)

        # Qualifications: held, expired or missing (seed_demo made both).
        quiz = Qualification.objects.filter(name="Store visit certification").first()
        identity = Qualification.objects.filter(name="Identity check").first()
        today, now = timezone.localdate(), timezone.now()
        credentials = []
        document = None
        if identity is not None:
            holder = Credential(shopper=shoppers[plans[0]["username"]], qualification=identity)
            document = holder.document.field.generate_filename(holder, "identity.pdf")
            document = holder.document.storage.save(document, ContentFile(_pdf()))
        for p in plans:
            shopper = shoppers[p["username"]]
            for qualification, roll in ((quiz, p["quiz"]), (identity, p["identity"])):
                if qualification is None or roll >= 0.85:
                    continue  # missing
                expired = roll >= 0.72
                checked = now - timedelta(days=800 if expired else int(roll * 300) + 5)
                credentials.append(Credential(
                    shopper=shopper, qualification=qualification, status=Credential.Status.APPROVED,
                    submitted_at=checked, checked_at=checked,
                    expires_on=today - timedelta(days=int(roll * 60) + 1) if expired
                    else today + timedelta(days=int(roll * 400) + 30),
                    document=document if qualification == identity else ""))
        Credential.objects.bulk_create(credentials)

        lead = User.objects.get(username="lead")
        stores = list(Location.objects.filter(kind=Location.Kind.STORE).order_by("code"))
        conflicts = []
        for p in plans:
            shopper = shoppers[p["username"]]
            if p["conflict"]:
                conflicts.append(Conflict(shopper=shopper, location=stores[int(p["pay"] * 1000) % len(stores)],
                                          reason="Used to work there.", added_by=lead))
            if p["barred"]:
                ratings_shoppers.set_barred(shopper, barred=True, by=lead,
                                            reason="Reports copied from another shopper's; barred until we have "
                                                   "spoken.")
        bulk_create_with_history(conflicts, Conflict)
        return len(plans)

    # The month -----------------------------------------------------------------------------------------------
    def month(self, rng, count):
        from pool import board
        from pool.models import Invitation, Programme
        from shops.models import Assignment, AssignmentEvent, Location, Shopper

        if Assignment.objects.filter(location__code__startswith=LOCATION_PREFIX).exists():
            return None
        User = get_user_model()
        S = Assignment.Status
        lead, admin = User.objects.get(username="lead"), User.objects.get(username="admin")
        programmes = {p.claim_rule: p for p in Programme.objects.filter(
            name__in=["High street visits", "Mystery calls"])}
        store_version = programmes[Programme.ClaimRule.FIRST_COME].scorecard_links.first().scorecard.published_version
        call_version = programmes[Programme.ClaimRule.PLANNER_CHOOSES].scorecard_links.first().scorecard \
            .published_version
        locations = list(Location.objects.filter(kind__in=[Location.Kind.STORE, Location.Kind.BRANCH],
                                                 latitude__isnull=False).order_by("code"))
        # Some locations get no visit this month, so coverage has something to show.
        visited = [loc for loc in locations if rng.random() < 0.85]
        today = timezone.localdate()
        open_visits = []
        for n in range(count):
            location = rng.choice(visited)
            call = rng.random() < 0.4
            start = today + timedelta(days=rng.randrange(0, 28))
            open_visits.append(Assignment(
                location=location, version=call_version if call else store_version,
                channel="phone_call" if call else "store_visit", window_start=start,
                window_end=start + timedelta(days=rng.randrange(3, 10)), brief=demo.BRIEFS[n % len(demo.BRIEFS)],
                fee=Decimal(rng.choice(["12.00", "15.00"] if call else ["22.00", "25.00", "28.00", "35.00"])),
                receipt_required=not call and rng.random() < 0.6, photo_required=not call and rng.random() < 0.3,
                status=S.OFFERED, created_by=lead))
        open_visits = bulk_create_with_history(open_visits, Assignment, default_user=lead)
        opened = list(Assignment.objects.filter(status=S.OFFERED, shopper__isnull=True,
                                                location__in=visited, created_by=lead)
                      .exclude(pk__in=Assignment.objects.filter(events__isnull=False).values("pk")))
        AssignmentEvent.objects.bulk_create([AssignmentEvent(assignment=a, to_status=S.OFFERED, by=lead)
                                             for a in opened])

        pool = list(Shopper.objects.filter(user__username__startswith=USERNAME_PREFIX).order_by("pk"))
        calls = [a for a in opened if a.channel == "phone_call"]
        applications = refused = 0
        wanted = count * 2 // 5
        for n, visit in enumerate(calls):
            if applications >= wanted:
                break
            # A few popular visits with 10+ applicants, most with none to three.
            many = n % 12 == 0
            for shopper in rng.sample(pool, min(len(pool), rng.randint(10, 16) if many else rng.randint(0, 3))):
                try:
                    board.apply(visit, shopper, rng.choice(CALL_NOTES))
                    applications += 1
                except ValidationError:
                    refused += 1
        stores = [a for a in opened if a.channel == "store_visit"]
        invitations = [Invitation(assignment=visit, shopper=shopper, invited_by=lead)
                       for visit in rng.sample(stores, min(len(stores), count // 25))
                       for shopper in rng.sample(pool, min(len(pool), 3))]
        Invitation.objects.bulk_create(invitations, ignore_conflicts=True)

        # Last month: approved visits, not paid yet, for a pay batch.
        tz = timezone.get_default_timezone()
        approved = []
        for n in range(count * 3 // 5):
            shopper = rng.choice(pool)
            day = today - timedelta(days=rng.randrange(2, 31))
            call = rng.random() < 0.4
            approved.append(Assignment(
                location=rng.choice(locations), version=call_version if call else store_version,
                channel="phone_call" if call else "store_visit", shopper=shopper,
                window_start=day - timedelta(days=3), window_end=day + timedelta(days=1),
                brief=demo.BRIEFS[n % len(demo.BRIEFS)],
                fee=Decimal(rng.choice(["12.00", "15.00"] if call else ["22.00", "25.00", "28.00"])),
                status=S.APPROVED, created_by=lead,
                approved_at=timezone.make_aware(datetime.combine(day, time(10 + n % 7, n % 60)), tz)))
        approved = bulk_create_with_history(approved, Assignment, default_user=lead)
        done = list(Assignment.objects.filter(status=S.APPROVED, shopper__user__username__startswith=USERNAME_PREFIX,
                                              events__isnull=True).select_related("shopper__user", "location", "version"))
        events = []
        for a in done:
            for before, after, by in [("", S.OFFERED, lead), (S.OFFERED, S.ACCEPTED, a.shopper.user),
                                      (S.ACCEPTED, S.SUBMITTED, a.shopper.user), (S.SUBMITTED, S.APPROVED, admin)]:
                events.append(AssignmentEvent(assignment=a, from_status=before, to_status=after, by=by))
        AssignmentEvent.objects.bulk_create(events)
        self.reports(rng, done)
        return {"open": len(opened), "applications": applications, "refused": refused,
                "invitations": len(invitations), "approved": len(approved)}

    def reports(self, rng, approved):
        """Each approved visit's report, as a reviewer approved it: a released evaluation with its answers, scored by
        the engine, and the visit report the shopper sent. A shopper's rating counts reviewed reports (pool.ratings),
        so without them the pool's shoppers would be paid for visits their rating says they never made."""
        from qa.models import Answer, Evaluation, VisitReport
        from qa.services import score_and_store
        from scorecards.services import load_structure, spec_for

        structures, specs = {}, {}
        for visit in approved:
            version = visit.version
            if version.pk not in specs:
                structures[version.pk] = load_structure(version)
                specs[version.pk] = spec_for(version, structures[version.pk])
            quality = rng.uniform(0.55, 0.95)
            approved_at = visit.approved_at
            arrived = approved_at - timedelta(days=2, hours=rng.randint(1, 6))
            sent = arrived + timedelta(hours=rng.choice([1, 2, 3, 30]))  # now and then after the day it was due
            evaluation = Evaluation.objects.create(
                version=version, location=visit.location, channel=visit.channel, source=Evaluation.Source.SHOPPER,
                interaction_at=arrived, evaluator=visit.shopper.user, status=Evaluation.Status.RELEASED,
                submitted_at=sent, released_at=approved_at)
            answers = []
            for section in structures[version.pk]:
                for item in section.items.all():
                    value, na = demo.demo_value(item, quality, rng)
                    answers.append(Answer(evaluation=evaluation, item=item, value=value, na=na))
            Answer.objects.bulk_create(answers)
            score_and_store(evaluation, specs[version.pk])
            flags = ["late"] if sent - arrived > timedelta(hours=visit.report_due_hours) else []
            VisitReport.objects.create(
                evaluation=evaluation, assignment=visit, arrived_at=arrived,
                departed_at=arrived + timedelta(minutes=rng.randint(6, 25)),
                narrative="Called as briefed." if visit.channel == "phone_call" else "Visited as briefed.",
                flags=flags, first_submitted_at=sent, last_submitted_at=sent)


def _pdf() -> bytes:
    from config.demo_pool import demo_document
    return demo_document()
