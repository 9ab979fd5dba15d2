"""Running qualifications: QA leads and administrators edit qualifications and their quizzes' questions;
administrators check documents (approve with an expiry date, or reject with a reason), with the history kept."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from pool import qualifications as service
from pool.models import Credential, Qualification, Question, Quiz
from tests.pool.matrix_qualifications import PDF

pytestmark = pytest.mark.django_db


def question_data(rows, prefix="q", initial=0):
    """A formset POST: rows are (text, [(answer, right)], extra fields)."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "100"}
    for i, (text, answers, *extra) in enumerate(rows):
        data[f"{prefix}-{i}-text"] = text
        for n, (answer, right) in enumerate(answers, 1):
            data[f"{prefix}-{i}-answer_{n}"] = answer
            if right:
                data[f"{prefix}-{i}-right_{n}"] = "on"
        for key, value in (extra[0] if extra else {}).items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_a_lead_adds_a_quiz_and_writes_its_questions(world, client_for):
    client = client_for(world.lead)
    response = client.post(reverse("pool:qualification-create"), {
        "name": "Store visit certification", "kind": "quiz", "description": "Five questions.", "valid_months": "12",
        "active": "on", "instructions": "Read the guide.", "pass_percent": "80", "max_attempts": "3",
        "cooling_off_days": "7"})
    qualification = Qualification.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pool:quiz-questions",
                                                                           args=[qualification.pk])
    assert (qualification.quiz.pass_percent, qualification.quiz.instructions) == (80, "Read the guide.")
    url = reverse("pool:quiz-questions", args=[qualification.pk])
    assert client.get(url).status_code == 200
    # A question without a right answer, one with a single answer, and a right box without text: errors at the
    # top, the typed input kept, nothing saved.
    bad = question_data([
        ("Where do you take notes?", [("In the store", False), ("Outside", False)]),
        ("Who pays?", [("You", True)]),
        ("When?", [("Now", True), ("", True)]),
    ])
    response = client.post(url, bad)
    page = response.content.decode()
    assert response.status_code == 400 and "data-error-summary" in page
    assert "Question 1</a>: Tick at least one right answer." in page
    assert "Question 2</a>: Give at least 2 answers." in page
    assert "Question 3</a>: An answer marked right needs its text." in page
    assert 'value="In the store"' in page and "Where do you take notes?" in page
    assert not Question.objects.exists()
    good = question_data([
        ("Where do you take notes?", [("In the store", False), ("Outside", True)]),
        ("What goes in the report?", [("The time", True), ("The receipt", True), ("Prices", False)]),
        ("", []),
    ])
    response = client.post(url, good, follow=True)
    assert "Saved 2 questions for Store visit certification." in response.content.decode()
    questions = list(Question.objects.prefetch_related("choices"))
    assert [q.text for q in questions] == ["Where do you take notes?", "What goes in the report?"]
    assert [[c.correct for c in q.choices.all()] for q in questions] == [[False, True], [True, True, False]]
    # Editing keeps the answers' ids, removing a question deletes it.
    first_choices = list(questions[0].choices.values_list("pk", flat=True))
    edit = question_data([
        ("Where do you write notes?", [("In the store", False), ("Outside", True)], {"id": questions[0].pk}),
        ("What goes in the report?", [("The time", True), ("Prices", False)], {"id": questions[1].pk, "DELETE": "on"}),
    ], initial=2)
    client.post(url, edit)
    assert list(Question.objects.values_list("text", flat=True)) == ["Where do you write notes?"]
    assert list(Question.objects.get().choices.values_list("pk", flat=True)) == first_choices


def test_an_empty_question_list_is_refused(world, client_for):
    quiz = Quiz.objects.create(qualification=Qualification.objects.create(name="Quiz", kind="quiz"))
    response = client_for(world.admin).post(reverse("pool:quiz-questions", args=[quiz.qualification_id]),
                                            question_data([("", [])]))
    assert response.status_code == 400 and "Write at least one question." in response.content.decode()
    response = client_for(world.admin).post(reverse("pool:quiz-questions", args=[quiz.qualification_id]), {})
    assert response.status_code == 400


def test_a_document_qualification_needs_no_quiz_settings(world, client_for):
    response = client_for(world.admin).post(reverse("pool:qualification-create"), {
        "name": "Identity check", "kind": "document", "valid_months": "", "active": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("pool:qualification-list")
    qualification = Qualification.objects.get()
    assert qualification.valid_months is None and not Quiz.objects.exists()
    page = client_for(world.admin).get(reverse("pool:qualification-list") + "?kind=document").content.decode()
    assert "Identity check" in page and "does not expire" in page
    page = client_for(world.admin).get(reverse("pool:qualification-list") + "?kind=quiz").content.decode()
    assert "Identity check" not in page and "No qualification matches" in page


def test_a_mistake_in_the_qualification_form_keeps_the_input(world, client_for):
    response = client_for(world.lead).post(reverse("pool:qualification-create"), {
        "name": "Store visit certification", "kind": "quiz", "valid_months": "0", "pass_percent": "150",
        "max_attempts": "3", "cooling_off_days": "7"})
    page = response.content.decode()
    assert response.status_code == 400 and "data-error-summary" in page
    assert 'value="Store visit certification"' in page and not Qualification.objects.exists()


def pending(world, qualification, name="doc.pdf"):
    credential = Credential(shopper=world.shopper.shopper, qualification=qualification, status="pending")
    credential.document.save(name, ContentFile(PDF), save=True)
    return credential


def test_an_administrator_approves_a_document_with_its_expiry(world, client_for, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    identity = Qualification.objects.create(name="Identity check", kind="document", valid_months=24)
    credential = pending(world, identity)
    world.shopper.email = "jess@example.com"
    world.shopper.save()
    client = client_for(world.admin)
    queue = client.get(reverse("pool:document-checks")).content.decode()
    assert "Waiting: 1 document" in queue and reverse("pool:document-check", args=[credential.pk]) in queue
    url = reverse("pool:document-check", args=[credential.pk])
    page = client.get(url).content.decode()
    default = service.add_months(timezone.localdate(), 24)
    assert f'value="{default.isoformat()}"' in page and reverse("pool:document-file", args=[credential.pk]) in page
    response = client.post(url, {"decision": "approve", "expires_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and "Choose a date after today" in response.content.decode()
    response = client.post(url, {"decision": "approve", "expires_on": ""})
    assert response.status_code == 400 and "Give the date it expires, no later than" in response.content.decode()
    response = client.post(url, {"decision": "approve", "expires_on": "9999-12-31"})
    assert response.status_code == 400 and (
        f"Choose a date no later than {default.strftime('%-d %b %Y')}: Identity check is valid for 24 months."
        in response.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "expires_on": default.isoformat()}, follow=True)
    assert "Approved: Identity check for shopper." in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == [world.shopper.email] and mail.subject == "Your document for Identity check is approved"
    assert f"valid until {default.strftime('%-d %b %Y')}" in mail.body and reverse("pool:qualifications") in mail.body
    credential.refresh_from_db()
    assert (credential.status, credential.expires_on, credential.checked_by) == ("approved", default, world.admin)
    assert list(credential.history.values_list("status", flat=True)) == ["approved", "pending"]
    # Checked once: a second decision is refused, not applied.
    response = client.post(url, {"decision": "reject", "reason": "Too late"}, follow=True)
    assert "This document was already checked: approved." in response.content.decode()
    assert Credential.objects.get().status == "approved"
    page = client_for(world.shopper).get(reverse("pool:qualifications")).content.decode()
    assert f"Held until {default.strftime('%-d %b %Y')}" in page


def test_a_document_without_its_own_validity_expires_within_ten_years(world):
    identity = Qualification.objects.create(name="Identity check", kind="document")
    credential = pending(world, identity)
    latest = service.add_months(timezone.localdate(), 120)
    with pytest.raises(ValidationError, match="ten years from today"):
        service.approve(credential, world.admin, latest + datetime.timedelta(days=1))
    assert service.approve(credential, world.admin, latest).expires_on == latest


def test_a_rejection_needs_a_reason_the_shopper_then_reads(world, client_for, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    identity = Qualification.objects.create(name="Identity check", kind="document")
    credential = pending(world, identity)
    world.shopper.email = "jess@example.com"
    world.shopper.save()
    client = client_for(world.admin)
    url = reverse("pool:document-check", args=[credential.pk])
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 400 and "Say why the document is not accepted." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "The photo is blurred; send a sharper one."})
    credential.refresh_from_db()
    assert credential.status == "rejected" and credential.checked_by == world.admin
    page = client_for(world.shopper).get(reverse("pool:qualifications")).content.decode()
    assert "Why your document was not accepted:</strong> The photo is blurred; send a sharper one." in page
    (mail,) = mailoutbox
    assert mail.to == [world.shopper.email] and mail.subject == "Your document for Identity check was not accepted"
    assert "Why: The photo is blurred; send a sharper one." in mail.body
    assert reverse("pool:qualifications") in mail.body and mail.body.count("http") == 1
    assert reverse("pool:document-send", args=[identity.pk]) in page
    other = pending(world, identity)
    response = client_for(world.admin).post(reverse("pool:document-check", args=[other.pk]),
                                            {"decision": "maybe", "reason": "x"})
    assert response.status_code == 400 and "Choose approve or reject." in response.content.decode()


def test_only_administrators_check_documents_and_only_leads_and_admins_edit(world, client_for):
    identity = Qualification.objects.create(name="Identity check", kind="document")
    credential = pending(world, identity)
    for user, checks, edits in ((world.admin, 200, 200), (world.lead, 403, 200), (world.reviewer, 403, 403),
                                (world.shopper, 403, 403)):
        client = client_for(user)
        assert client.get(reverse("pool:document-check", args=[credential.pk])).status_code == checks
        assert client.get(reverse("pool:qualification-update", args=[identity.pk])).status_code == edits
    assert Credential.objects.get().status == "pending"


def test_expired_held_and_renewal(world):
    quiz = Quiz.objects.create(qualification=Qualification.objects.create(name="Quiz", kind="quiz", valid_months=12))
    shopper = world.shopper.shopper
    today = timezone.localdate()
    soon = Credential.objects.create(shopper=shopper, qualification=quiz.qualification, status="approved",
                                     expires_on=today + timedelta(days=10))
    Question.objects.create(quiz=quiz, text="Q")
    # Close to its expiry, a holder may renew.
    assert service.standing(shopper, quiz).may_take
    soon.expires_on = today - timedelta(days=1)
    soon.save()
    assert service.describe(soon) == f"Expired on {soon.expires_on.strftime('%-d %b %Y')}"


def test_navigation_links_by_role(world):
    from pool import navigation

    assert navigation.qualification_links(world.admin) == [
        ("Qualifications", "pool:qualification-list"), ("Document checks", "pool:document-checks")]
    assert navigation.qualification_links(world.lead) == [("Qualifications", "pool:qualification-list")]
    assert navigation.qualification_links(world.shopper) == [("My qualifications", "pool:qualifications")]
    assert navigation.qualification_links(world.reviewer) == []


def test_the_list_counts_shoppers_holding_it_today_once_each(world, client_for):
    identity = Qualification.objects.create(name="Identity check", kind="document", valid_months=24)
    today = timezone.localdate()
    # The shopper's old document and its renewal; the other shopper's lasting one and an expired one.
    for shopper, expires_on in ((world.shopper, today + timedelta(days=30)), (world.shopper, today + timedelta(700)),
                                (world.other_shopper, None), (world.other_shopper, today - timedelta(days=1))):
        Credential.objects.create(shopper=shopper.shopper, qualification=identity, status="approved",
                                  expires_on=expires_on)
    page = client_for(world.lead).get(reverse("pool:qualification-list")).content.decode()
    assert "2 shoppers hold it" in page


def test_earlier_documents_say_where_each_stands(world, client_for):
    identity = Qualification.objects.create(name="Identity check", kind="document", valid_months=24)
    lapsed = timezone.localdate() - timedelta(days=3)
    Credential.objects.create(shopper=world.shopper.shopper, qualification=identity, status="approved",
                              expires_on=lapsed)
    credential = pending(world, identity)
    page = client_for(world.admin).get(reverse("pool:document-check", args=[credential.pk])).content.decode()
    assert f"Expired on {lapsed.strftime('%-d %b %Y')}" in page


def test_a_quiz_without_questions_cannot_be_required_nor_a_quiz_with_questions_become_a_document(world,
                                                                                                   client_for):
    from pool.forms_board import ProgrammeForm

    empty = Qualification.objects.create(name="Empty quiz", kind="quiz")
    Quiz.objects.create(qualification=empty)
    quiz = Qualification.objects.create(name="Phone manner", kind="quiz")
    Question.objects.create(quiz=Quiz.objects.create(qualification=quiz), text="How do you greet?")
    data = {"name": "Spring", "claim_rule": "first_come", "lockout_days": "30", "max_open_visits": "2",
            "active": "on", "required_qualifications": [empty.pk, quiz.pk]}
    form = ProgrammeForm(data)
    assert not form.is_valid() and form.errors["required_qualifications"] == [
        "Empty quiz is a quiz with no questions yet: no shopper can pass it, so nobody could take this programme's "
        "visits. Write its questions first, or leave it out."]
    assert ProgrammeForm(dict(data, required_qualifications=[quiz.pk])).is_valid()
    client = client_for(world.lead)
    page = client.get(reverse("pool:qualification-list")).content.decode()
    assert page.count("data-no-questions") == 1 and "no questions yet" in page
    mine = client_for(world.shopper).get(reverse("pool:qualifications")).content.decode()
    assert "Phone manner" in mine and "Empty quiz" not in mine  # nothing a shopper could take yet
    for name, value in (("0", "0"), ("-1", "-1")):  # the same message for both
        form = ProgrammeForm(dict(data, required_qualifications=[quiz.pk], max_open_visits=value))
        assert form.errors["max_open_visits"] == [
            "Open visits at once must be a whole number between 1 and 100."], name
    client = client_for(world.lead)
    response = client.post(reverse("pool:qualification-update", args=[quiz.pk]), {
        "name": "Phone manner", "kind": "document", "valid_months": "", "active": "on"})
    assert response.status_code == 400 and "This quiz has questions, so it stays a quiz." in response.content.decode()
    assert Qualification.objects.get(pk=quiz.pk).kind == "quiz"
    response = client.post(reverse("pool:qualification-update", args=[empty.pk]), {
        "name": "Empty quiz", "kind": "document", "valid_months": "", "active": "on"})
    assert response.status_code == 302 and Qualification.objects.get(pk=empty.pk).kind == "document"


def test_a_required_document_cannot_become_an_empty_quiz(world, client_for):
    """A quiz starts with no questions, and a quiz without questions cannot be passed: a document that programmes
    require stays a document, the refusal naming those programmes and keeping the input; one that no programme
    requires may become a quiz."""
    from pool.models import Programme

    background = Qualification.objects.create(name="Background check", kind="document")
    for name in ("Spring", "Autumn"):
        Programme.objects.create(name=name).required_qualifications.add(background)
    client = client_for(world.lead)
    data = {"name": "Background check quiz", "kind": "quiz", "valid_months": "", "active": "on",
            "pass_percent": "90", "max_attempts": "3", "cooling_off_days": "7"}
    response = client.post(reverse("pool:qualification-update", args=[background.pk]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert ("The programmes Autumn, Spring require this document. As a quiz it would have no questions yet, so no "
            "shopper could pass it") in body
    assert 'value="Background check quiz"' in body and 'value="90"' in body
    background.refresh_from_db()
    assert background.kind == "document" and background.name == "Background check"
    assert not Quiz.objects.filter(qualification=background).exists()
    Programme.objects.get(name="Autumn").required_qualifications.remove(background)
    body = client.post(reverse("pool:qualification-update", args=[background.pk]), data).content.decode()
    assert "The programme Spring requires this document." in body
    Programme.objects.get(name="Spring").required_qualifications.clear()
    response = client.post(reverse("pool:qualification-update", args=[background.pk]), data)
    assert response.status_code == 302 and Qualification.objects.get(pk=background.pk).kind == "quiz"
