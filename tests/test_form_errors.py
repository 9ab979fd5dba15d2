"""Every form sent back with an error keeps what was typed and opens with a summary at the top
that links to each field in error (templates/bootstrap5/errors.html, for every crispy form).

One case per form: who fills it, what they type (one field wrong, others right), which field the
summary must link to, and which typed text must come back in the page."""

import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from tests import factories as f


@dataclass
class Case:
    name: str
    persona: str
    url: object  # a function of the world
    data: object  # a function of the world
    error_field: str
    kept: list = field(default_factory=list)


def draft_section(world):
    version = f.make_scorecard("Draft card", publish_it=False, user=world.admin)
    return version.sections.first()


CASES = [
    Case("interaction", "reviewer", lambda w: reverse("interaction-create"),
         lambda w: {"channel": "email", "location": w.location_a.pk, "occurred_at": "2026-11-03T10:15",
                    "customer_reference": "Ticket 4471-ZQ", "direction": "inbound", "conversation": ""},
         "conversation", ["Ticket 4471-ZQ", "2026-11-03T10:15"]),
    Case("assignment", "lead", lambda w: reverse("assignment-create"),
         lambda w: {"location": w.location_a.pk, "version": w.version.pk, "channel": "store_visit",
                    "window_start": "2026-12-10", "window_end": "2026-12-01", "time_of_day": "",
                    "brief": "Ask about the blue kettle", "fee": "12.50", "report_due_hours": 24, "bar_days": 0},
         "window_end", ["Ask about the blue kettle", "12.50"]),
    Case("bulk assignment", "lead", lambda w: reverse("assignment-bulk"),
         lambda w: {"version": w.version.pk, "channel": "store_visit", "window_start": "2026-12-10",
                    "window_end": "2026-12-12", "brief": "Weekend visit, ask for a refund", "fee": "9.00",
                    "report_due_hours": 24, "bar_days": 0},
         "locations_0", ["Weekend visit, ask for a refund"]),
    Case("scorecard", "admin", lambda w: reverse("scorecards:create"),
         lambda w: {"name": "", "channel": "store_visit", "description": "Greeting and farewell checks"},
         "name", ["Greeting and farewell checks"]),
    Case("section", "admin", lambda w: reverse("scorecards:section-create", args=[draft_section(w).version_id]),
         lambda w: {"name": "Courtesy", "weight": "2", "description": "Words we always use"},
         "name", ["Words we always use"]),
    Case("item", "admin", lambda w: reverse("scorecards:item-create", args=[draft_section(w).pk]),
         lambda w: {"question": "Offered a bag", "guidance": "Only for purchases over £20",
                    "answer_type": "number", "weight": "1", "limit_1": "3", "score_1": ""},
         "limit_1", ["Offered a bag", "Only for purchases over £20"]),
    Case("time zone", "manager_a", lambda w: reverse("account-time-zone"),
         lambda w: {"time_zone": "Mars/Olympus_Mons"}, "time_zone", []),
    Case("password change", "manager_a", lambda w: reverse("password_change"),
         lambda w: {"old_password": "wrong-one", "new_password1": "x", "new_password2": "y"},
         "old_password", []),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_form_sent_back_keeps_input_and_summarises_errors_at_the_top(case, world, client_for):
    client = client_for(world.persona(case.persona))
    response = client.post(case.url(world), case.data(world))
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary"[^>]*data-error-summary>(.*?)</div>', page, re.S)
    assert summary, "no error summary on the page"
    # Each link leads to the field itself (the first choice of a group of boxes).
    assert f'href="#id_{case.error_field}"' in summary.group(1)
    assert f'id="id_{case.error_field}"' in page
    # The summary comes before the first field of the form.
    assert page.index("data-error-summary") < page.index(f'id="id_{case.error_field}"')
    for typed in case.kept:
        assert typed in page, f"{typed!r} was lost"
