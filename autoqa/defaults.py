"""Automatic checks for the default phone and email/chat scorecards (scorecards.defaults), for what
the policies in shared/seeds word precisely enough to hear: the greeting with the agent's name
(Service standard: Greet and Listen), the courteous phrases the CS Policy quotes ("Sorry to keep
you waiting", "Thanks for your order", "You're welcome", "It's been a pleasure helping you"),
apology and empathy ("I understand, that must be frustrating"), the promise of a follow-up with a
time (Policy template V.C: 3 working days for billing, 5 for defects, 2 for outages), the closing
question ("What else can I do for you?"), interruptions and never arguing.

Installed with the default scorecards (`manage.py load_default_scorecards`, seed_demo) and by a data
migration for databases that already have them; a rule that exists is left as the lead edited it."""

from scorecards.defaults import EMAIL_AND_CHAT, PHONE_CALL

GREETING = "thank you for calling | thanks for calling | good morning | good afternoon | good evening | hello you're through to | welcome to"
NAME = "my name is | my name's | this is | you're speaking with | you are speaking with | speaking"
COURTEOUS = ("sorry to keep you waiting\nthanks for your order | thank you for your order\nyou're welcome\n"
             "it's been a pleasure helping you | it was a pleasure helping you\nthanks for calling | thank you for calling")
WAIT_APOLOGY = "sorry to keep you waiting | sorry for the wait | thank you for waiting | thanks for holding | thank you for holding"
# A line offers alternatives (any one will do); a check that needs only one line found may spread them over
# several lines, each within the form's 200 characters (autoqa.forms.MAX_PHRASE_LENGTH).
EMPATHY = ("I understand | I completely understand | that must be frustrating | I'm sorry to hear | I am sorry to hear\n"
           "I apologise | I apologize | we hear you | we understand why this matters | I can imagine")
# Phone calls: empathy for the caller's trouble, a separate line from the wait's apology. Not a bare "I understand"
# ("I understand your account number is ..."): the phrases name a feeling or the caller's trouble.
PHONE_EMPATHY = ("I understand how frustrating | I completely understand | that must be frustrating | I can see why\n"
                 "I'm sorry to hear | I am sorry to hear | I'm so sorry about | I can imagine how")
FOLLOW_UP = ("I will call you back | I'll call you back | we will get back to you | we'll get back to you | "
             "I'll email you\n"
             "within 24 hours | within 48 hours | within two working days | within 3 working days | "
             "within three working days | within five working days | within 5 working days\n"
             "by tomorrow | by the end of the day | by end of day | by friday | by monday")
CLOSING = "is there anything else | anything else I can help | anything else I can do for you | what else can I do for you"
ARGUING = "that's not my problem | you're wrong | you are wrong | calm down | that's not our fault | you should have read"
THANKS_FOR_WRITING = ("thank you for getting in touch | thanks for getting in touch | thank you for contacting us | "
                      "thanks for contacting us\n"
                      "thank you for your email | thanks for your message | thank you for your message | "
                      "thanks for reaching out")


TONE = "Tone: calm, warm and professional"


def find(question, phrases, **options):
    return {"question": question, "kind": "find", "phrases": phrases, **options}


PHONE_RULES = [
    find("Greeted the caller as if happy to hear from them, with their name and the company’s",
         f"{GREETING}\n{NAME}", require_all=True, speaker="agent", window="start", window_seconds=15),
    find("Used courteous phrases (“Thanks for calling”, “You’re welcome”, “It’s been a pleasure helping you”)",
         COURTEOUS, speaker="agent"),
    find("Apologised for the wait (“Sorry to keep you waiting”) after a hold", WAIT_APOLOGY, speaker="agent",
         fail_value="", min_similarity=90),  # 85 would hear "thank you for waiting" in "thank you for calling"
    # Empathy heard: a warm tone (4 of 5) suggested, with the moment; not heard: left to the reviewer's ear.
    find(TONE, PHONE_EMPATHY, speaker="agent", pass_value="4", fail_value=""),
    {"question": "Let the caller explain without interrupting, and asked clarifying questions",
     "kind": "interruptions", "speaker": "agent", "max_interruptions": 1, "fail_value": "partial"},
    {"question": "Never argued with the customer, even when the customer pushed back", "kind": "avoid",
     "phrases": ARGUING, "speaker": "agent"},
    find("If not resolved, gave next steps and a realistic time", FOLLOW_UP, speaker="agent", fail_value=""),
    find("Closed by checking everything was resolved to the caller’s satisfaction", CLOSING, speaker="agent",
         window="end", window_seconds=60),
]

TEXT_RULES = [
    find("Addressed the customer by name and thanked them for getting in touch", THANKS_FOR_WRITING,
         speaker="agent"),
    find("Acknowledged the customer’s feelings (“We hear you, we understand why this matters”)", EMPATHY,
         speaker="agent", fail_value="no"),
    find("Stated next steps and a realistic time for resolution", FOLLOW_UP, speaker="agent", fail_value=""),
    {"question": "Never argued with the customer, even when the customer pushed back", "kind": "avoid",
     "phrases": ARGUING, "speaker": "agent"},
    find("Closed by asking whether anything else was needed", CLOSING, speaker="agent", window="end"),
]

DEFAULT_RULES = {PHONE_CALL["name"]: PHONE_RULES, EMAIL_AND_CHAT["name"]: TEXT_RULES}


def install_default_rules(ItemRule=None, Scorecard=None) -> int:
    """Create the default rules that do not exist yet; returns how many were created. The models may
    be passed in (a data migration passes its historical ones)."""
    if ItemRule is None:
        from autoqa.models import ItemRule
    if Scorecard is None:
        from scorecards.models import Scorecard
    created = 0
    for name, definitions in DEFAULT_RULES.items():
        scorecard = Scorecard.objects.filter(name=name).first()
        if scorecard is None:
            continue
        for definition in definitions:
            fields = dict(definition)
            question = fields.pop("question")
            _rule, made = ItemRule.objects.get_or_create(scorecard=scorecard, question=question, defaults=fields)
            created += made
    return created


def install_defaults() -> int:
    from autoqa.spotlights import ensure_default_lists

    ensure_default_lists()
    return install_default_rules()
