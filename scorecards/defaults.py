"""The default scorecards, written from the customer-service policies in shared/seeds.

Each item is worded as a scorer checks it and cites the clause it comes from, so a
disputed score can be traced back to the policy. Installed by
`manage.py load_default_scorecards` (and by `seed_demo`); editable afterwards,
which makes new versions.

Policy sources, as cited:
* "CS Policy" -- the company Customer Service Policy (commit to quality, know your
  products, courtesy and respect, never argue, don't leave customers in limbo,
  always provide what we promise, make it easy to buy);
* "Service standard" -- Greet and Listen / Questions and Empathy / Address the
  Issue / Additional Help and Follow Through;
* "Rules for Good Customer Service" -- the ten numbered rules;
* "Policy template" -- the sectioned policy (IV Standards, V.C Complaint
  Resolution Process with Table 1 timelines, VII KPIs).
"""

from django.db import transaction

from scorecards.models import AnswerType, Channel, Item, Scorecard, ScorecardVersion, Section

YN = AnswerType.YES_NO
YPN = AnswerType.YES_PARTIAL_NO
SCALE = AnswerType.SCALE_5
NUMBER = AnswerType.NUMBER
TEXT = AnswerType.TEXT


def item(question, answer_type=YN, *, guidance="", policy="", weight=1, na=False, critical=False,
         unit="", direction="lower", thresholds=None, kpi="", auto=""):
    return {
        "question": question, "answer_type": answer_type, "guidance": guidance, "policy_reference": policy,
        "weight": weight, "na_allowed": na, "critical": critical, "number_unit": unit,
        "number_direction": direction, "thresholds": thresholds or [], "kpi": kpi,
        "auto_answer": auto,
    }


NEVER_ARGUED = item(
    "Never argued with the customer, even when the customer pushed back",
    critical=True, weight=2,
    guidance="Answer No if the employee contradicted, blamed or talked over the customer. "
             "Firmly explaining a policy is not arguing; focusing on who was wrong instead of on the fix is.",
    policy="CS Policy: Never argue with a customer",
)

STORE_VISIT = {
    "name": "Store visit",
    "channel": Channel.STORE_VISIT,
    "description": "For mystery shoppers visiting a store or branch in person.",
    "sections": [
        {
            "name": "Courtesy", "weight": 3,
            "items": [
                item("Greeted you within 30 seconds of your arrival, as if happy to see you",
                     guidance="A smile, eye contact and a greeting count. A nod from across the floor does not.",
                     policy="Service standard: Greet and Listen"),
                item("Listened to your whole request without interrupting or answering too quickly", YPN,
                     guidance="Partly: listened but jumped in before you finished once.",
                     policy="Service standard: Greet and Listen"),
                item("Used courteous phrases such as “Sorry to keep you waiting”, “Thanks for your order”, "
                     "“You’re welcome” or “It’s been a pleasure helping you”", YPN,
                     guidance="Yes: at least two such phrases. Partly: one.",
                     policy="CS Policy: Treat people with courtesy and respect"),
                item("Overall courtesy and respect", SCALE, kpi="satisfaction",
                     guidance="1 dismissive or rude, 3 polite but flat, 5 warm, respectful and professional throughout.",
                     policy="Policy template IV.A Communication Standards: Professionalism"),
                NEVER_ARGUED,
            ],
        },
        {
            "name": "Accuracy", "weight": 3,
            "items": [
                item("Explained the product and how it works correctly", YPN, weight=2,
                     guidance="Check against the answer key in the scenario brief.",
                     policy="CS Policy: Know your products"),
                item("Explained the return policy correctly", weight=2,
                     guidance="Ask as the brief says (for example, returning a faulty kettle without a receipt) "
                              "and compare with the answer key.",
                     policy="CS Policy: Know your products (return policies inside and out)"),
                item("Anticipated a question before you asked it", na=True,
                     guidance="For example, mentioned accessories, batteries or delivery times unprompted.",
                     policy="CS Policy: Know your products (anticipate the questions customers will ask)"),
                item("Answered without sending you away to someone who was not there", na=True,
                     guidance="No: “I don’t know, but so-and-so will be back at …”.",
                     policy="Rules for Good Customer Service #9: Train your staff"),
            ],
        },
        {
            "name": "Transparency", "weight": 2,
            "items": [
                item("Made important terms clear before you paid (no-return items, fees, warranty terms)", YPN,
                     policy="Rules for Good Customer Service #10: Have transparency in transaction"),
                item("Shelf price and till price matched", na=True,
                     guidance="N/A if you bought nothing.",
                     policy="Rules for Good Customer Service #10: Have transparency in transaction"),
                item("Did not push a sale you did not need",
                     policy="CS Policy: Focus on making customers, not on sales"),
            ],
        },
        {
            "name": "Responsiveness", "weight": 2,
            "items": [
                item("Minutes you waited before someone served you", NUMBER, unit="minutes", na=True,
                     guidance="From joining the queue or asking for help to being served. N/A if nobody was needed.",
                     thresholds=[{"limit": 2, "score": 100}, {"limit": 5, "score": 60}, {"limit": 10, "score": 20}],
                     policy="Rules for Good Customer Service #2: Don’t make your customers wait"),
                item("Led you to the item instead of pointing (“It’s in the back shelves”)", na=True,
                     policy="Rules for Good Customer Service #7: Take an extra step"),
                item("Checkout was quick and without unnecessary paperwork", YPN, na=True,
                     policy="CS Policy: Make it easy to buy"),
            ],
        },
        {
            "name": "Follow-through", "weight": 2,
            "items": [
                item("Acknowledged your complaint with empathy (“I understand, that must be frustrating”)", YPN,
                     na=True, guidance="N/A if the scenario had no complaint.",
                     policy="Service standard: Questions and Empathy"),
                item("Resolved the problem on the spot, or told you the next steps and by when", YPN, na=True,
                     kpi="resolved_in_time",
                     policy="CS Policy: Don’t leave customers in limbo"),
                item("Gave you a reference number for your complaint", na=True,
                     policy="Policy template V.C Step 2: Acknowledgment"),
                item("Promised only what could be kept (a date, a call back, a price)", na=True, weight=2,
                     guidance="Answer No if a promise was vague or visibly impossible; note it in the comment.",
                     policy="CS Policy: Always provide what we promise"),
                item("Asked “What else can I do for you?” before you left",
                     policy="Service standard: Additional Help and Follow Through"),
            ],
        },
    ],
}

PHONE_CALL = {
    "name": "Phone call",
    "channel": Channel.PHONE_CALL,
    "description": "For QA reviewers scoring call recordings, and mystery shoppers calling a location.",
    "sections": [
        {
            "name": "Responsiveness", "weight": 2,
            "items": [
                item("Rings before a person answered", NUMBER, unit="rings",
                     thresholds=[{"limit": 1, "score": 100}, {"limit": 3, "score": 75}, {"limit": 5, "score": 40}],
                     guidance="Count rings from the first. An automated menu counts as not answered.",
                     policy="Rules for Good Customer Service #1: answering the phone by the first ring"),
                item("Seconds on hold in total", NUMBER, unit="seconds", na=True,
                     thresholds=[{"limit": 30, "score": 100}, {"limit": 60, "score": 60}, {"limit": 120, "score": 25}],
                     guidance="N/A if never put on hold.",
                     policy="Rules for Good Customer Service #2: Don’t make your customers wait"),
                item("Apologised for the wait (“Sorry to keep you waiting”) after a hold", na=True,
                     policy="CS Policy: Treat people with courtesy and respect"),
            ],
        },
        {
            "name": "Courtesy", "weight": 3,
            "items": [
                item("Greeted the caller as if happy to hear from them, with their name and the company’s",
                     policy="Service standard: Greet and Listen"),
                item("Let the caller explain without interrupting, and asked clarifying questions", YPN,
                     policy="Service standard: Questions and Empathy"),
                item("Used courteous phrases (“Thanks for calling”, “You’re welcome”, "
                     "“It’s been a pleasure helping you”)", YPN,
                     policy="CS Policy: Treat people with courtesy and respect"),
                item("Tone: calm, warm and professional", SCALE, kpi="satisfaction",
                     guidance="1 curt or irritated, 3 neutral, 5 warm and engaged throughout.",
                     policy="Policy template IV.A Communication Standards: Professionalism, Empathy"),
                NEVER_ARGUED,
            ],
        },
        {
            "name": "Accuracy", "weight": 3,
            "items": [
                item("Information given about products, services and policies was correct", YPN, weight=3,
                     guidance="Check prices, return and warranty terms against the current policy.",
                     policy="Policy template IV.B Quality Assurance: Accuracy"),
                item("Explained clearly, without jargon", YPN,
                     policy="Policy template IV.A Communication Standards: Clarity and Simplicity"),
                item("The caller did not have to repeat the problem to someone else", na=True,
                     guidance="N/A if no transfer was needed.",
                     policy="Rules for Good Customer Service #2: addressing an issue to multiple employees"),
            ],
        },
        {
            "name": "Follow-through", "weight": 2,
            "items": [
                item("Resolved the issue during this call (first-contact resolution)", na=True, weight=2, kpi="fcr",
                     guidance="N/A for calls that were only information requests already answered.",
                     policy="Policy template VII.A KPIs: First Contact Resolution (target 85%)"),
                item("If not resolved, gave next steps and a realistic time", na=True, kpi="resolved_in_time",
                     guidance="Billing: 3 working days, product defects: 5, service outage: 2.",
                     policy="Policy template IV.B Resolution; Table 1: Complaint Resolution Timelines"),
                item("Gave a reference number for a complaint", na=True,
                     policy="Policy template V.C Step 2: Acknowledgment"),
                item("The complaint was resolved within the working days set for its type", na=True,
                     auto="resolved_in_time",
                     guidance="Filled in from the complaint’s times: billing 3 working days, product defects 5, "
                              "service outage 2. N/A if not a complaint or not yet due.",
                     policy="Policy template Table 1: Complaint Resolution Timelines"),
                item("Promised only what can be kept (call-back time, delivery date)", na=True, weight=2,
                     policy="CS Policy: Always provide what we promise"),
                item("Closed by checking everything was resolved to the caller’s satisfaction",
                     policy="Service standard: Additional Help and Follow Through"),
            ],
        },
    ],
}

EMAIL_AND_CHAT = {
    "name": "Email and chat",
    "channel": Channel.EMAIL,
    "description": "For QA reviewers scoring written replies: email, live chat and social media.",
    "sections": [
        {
            "name": "Responsiveness", "weight": 3,
            "items": [
                item("Hours from the customer’s message to the first reply", NUMBER, unit="hours", kpi="response_hours",
                     auto="response_hours",
                     thresholds=[{"limit": 2, "score": 100}, {"limit": 24, "score": 60}, {"limit": 48, "score": 20}],
                     guidance="Use the timestamps in the thread. Target under 2 hours for online channels; "
                              "every inquiry acknowledged within 24 hours.",
                     policy="Policy template VII.A KPIs: Average Response Time; IV.A Responsiveness"),
                item("A complaint was acknowledged within the time set for its type", na=True, weight=2,
                     kpi="acknowledged_in_time", auto="acknowledged_in_time",
                     guidance="Billing and product defects: 24 hours. Service outage: 12 hours. N/A if not a complaint.",
                     policy="Policy template Table 1: Complaint Resolution Timelines"),
            ],
        },
        {
            "name": "Courtesy", "weight": 2,
            "items": [
                item("Addressed the customer by name and thanked them for getting in touch",
                     policy="Service standard: Greet and Listen"),
                item("Acknowledged the customer’s feelings (“We hear you, we understand why this matters”)", YPN,
                     na=True, policy="Service standard: Questions and Empathy"),
                item("Tone: courteous and professional throughout", SCALE, kpi="satisfaction",
                     policy="Policy template IV.A Communication Standards: Professionalism"),
                NEVER_ARGUED,
            ],
        },
        {
            "name": "Accuracy", "weight": 3,
            "items": [
                item("Information given is correct and up to date", YPN, weight=3,
                     policy="Policy template IV.B Quality Assurance: Accuracy"),
                item("Answered every question the customer asked", YPN,
                     policy="CS Policy: Know your customers"),
                item("Plain language, no jargon", YPN,
                     policy="Policy template IV.A Communication Standards: Clarity and Simplicity"),
            ],
        },
        {
            "name": "Transparency", "weight": 2,
            "items": [
                item("Stated next steps and a realistic time for resolution", YPN, na=True, kpi="resolved_in_time",
                     guidance="Billing: 3 working days, product defects: 5, service outage: 2.",
                     policy="Policy template Table 1: Complaint Resolution Timelines"),
                item("Gave a reference number for the complaint", na=True,
                     policy="Policy template V.C Step 2: Acknowledgment"),
                item("The complaint was resolved within the working days set for its type", na=True, weight=2,
                     auto="resolved_in_time",
                     guidance="Filled in from the complaint’s times: billing 3 working days, product defects 5, "
                              "service outage 2. N/A if not a complaint or not yet due.",
                     policy="Policy template Table 1: Complaint Resolution Timelines"),
                item("Promised only what can be kept", na=True, weight=2,
                     policy="CS Policy: Always provide what we promise"),
            ],
        },
        {
            "name": "Follow-through", "weight": 1,
            "items": [
                item("Closed by asking whether anything else was needed",
                     policy="Service standard: Additional Help and Follow Through"),
                item("What would have made this reply better?", TEXT,
                     guidance="Optional coaching note for the employee; not scored."),
            ],
        },
    ],
}

DEFAULT_SCORECARDS = [STORE_VISIT, PHONE_CALL, EMAIL_AND_CHAT]


@transaction.atomic
def install_default_scorecards(user=None) -> list[Scorecard]:
    """Create and publish each default scorecard that does not exist yet (by name).

    Existing scorecards are left alone, even if edited, so running this twice, or
    after an administrator changed a default scorecard, never duplicates or undoes anything.
    """
    from scorecards.services import publish

    installed = []
    for definition in DEFAULT_SCORECARDS:
        if Scorecard.objects.filter(name=definition["name"]).exists():
            continue
        scorecard = Scorecard.objects.create(
            name=definition["name"], channel=definition["channel"], description=definition["description"]
        )
        version = ScorecardVersion.objects.create(scorecard=scorecard, number=1, notes="Default scorecard from the policy.")
        for s_order, section_def in enumerate(definition["sections"], start=1):
            section = Section.objects.create(
                version=version, name=section_def["name"], weight=section_def["weight"], order=s_order
            )
            Item.objects.bulk_create(
                Item(section=section, order=i_order, **item_def)
                for i_order, item_def in enumerate(section_def["items"], start=1)
            )
        publish(version, user)
        installed.append(scorecard)
    return installed
