"""Qualifications as a shopper meets them: "My qualifications", a quiz on the phone (attempts, cooling-off, a
pass granting the qualification, right answers never shown), sending a document and who may open it."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pool import qualifications as service
from pool.models import Choice, Credential, Programme, Qualification, Question, Quiz, QuizAttempt
from tests.pool.matrix_qualifications import PDF
from tests.visits_helpers import image_bytes

pytestmark = pytest.mark.django_db


def make_quiz(name="Store visit certification", **fields):
    qualification = Qualification.objects.create(name=name, kind="quiz", valid_months=fields.pop("valid_months", 12))
    quiz = Quiz.objects.create(qualification=qualification, **{"pass_percent": 60, "max_attempts": 2,
                                                               "cooling_off_days": 7, **fields})
    one = Question.objects.create(quiz=quiz, text="Where do you take notes?", position=0)
    Choice.objects.create(question=one, text="In the store", correct=False, position=0)
    Choice.objects.create(question=one, text="Outside, afterwards", correct=True, position=1)
    two = Question.objects.create(quiz=quiz, text="What goes in the report? Tick every one.", position=1)
    Choice.objects.create(question=two, text="The time", correct=True, position=0)
    Choice.objects.create(question=two, text="The receipt", correct=True, position=1)
    Choice.objects.create(question=two, text="Your opinion of prices", correct=False, position=2)
    return quiz


def right_answers(quiz):
    return {q.pk: [c.pk for c in q.choices.all() if c.correct] for q in quiz.questions.all()}


def wrong_answers(quiz):
    return {q.pk: [c.pk for c in q.choices.all() if not c.correct][:1] for q in quiz.questions.all()}


def post_answers(answers):
    return {f"q{pk}": [str(c) for c in choices] for pk, choices in answers.items()}


def test_add_months_keeps_the_day_or_the_months_last():
    assert service.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert service.add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)


def test_a_pass_grants_the_qualification_until_valid_months(world):
    quiz = make_quiz()
    shopper = world.shopper.shopper
    attempt = service.submit_attempt(shopper, quiz, right_answers(quiz))
    assert attempt.passed and attempt.score_percent == 100 and attempt.wrong == []
    credential = Credential.objects.get(shopper=shopper)
    assert credential.status == "approved"
    assert credential.expires_on == service.add_months(timezone.localdate(), 12)
    assert service.state_of(credential) == service.HELD
    # A holder cannot take it again until near expiry.
    found = service.standing(shopper, quiz)
    assert not found.may_take and found.reason == "You hold this qualification."


def test_a_quiz_that_never_expires(world):
    quiz = make_quiz(valid_months=None)
    service.submit_attempt(world.shopper.shopper, quiz, right_answers(quiz))
    credential = Credential.objects.get()
    assert credential.expires_on is None and service.describe(credential) == "Held; it does not expire"


def test_a_question_counts_only_with_exactly_its_right_answers(world):
    quiz = make_quiz()
    answers = right_answers(quiz)
    several = quiz.questions.get(position=1)
    answers[several.pk] = answers[several.pk][:1]  # one of two right answers
    attempt = service.submit_attempt(world.shopper.shopper, quiz, answers)
    assert attempt.score_percent == 50 and not attempt.passed and attempt.wrong == [several.pk]
    assert not Credential.objects.exists()


def test_cooling_off_and_attempts_limit_are_enforced_by_the_service(world):
    quiz = make_quiz()
    shopper = world.shopper.shopper
    service.submit_attempt(shopper, quiz, wrong_answers(quiz))
    found = service.standing(shopper, quiz)
    assert not found.may_take and found.attempts_left == 1 and found.next_try_at is not None
    assert found.reason.startswith("You can try again from ")
    with pytest.raises(ValidationError, match="You can try again from"):
        service.submit_attempt(shopper, quiz, right_answers(quiz))
    QuizAttempt.objects.update(finished_at=timezone.now() - timedelta(days=8))
    assert service.standing(shopper, quiz).may_take
    service.submit_attempt(shopper, quiz, wrong_answers(quiz))
    QuizAttempt.objects.update(finished_at=timezone.now() - timedelta(days=8))
    found = service.standing(shopper, quiz)
    assert not found.may_take and found.attempts_left == 0
    with pytest.raises(ValidationError, match="You have used all 2 attempts"):
        service.submit_attempt(shopper, quiz, right_answers(quiz))


def test_every_question_must_be_answered_with_its_own_choices(world):
    quiz = make_quiz()
    answers = right_answers(quiz)
    first, second = quiz.questions.all()
    with pytest.raises(ValidationError, match="Answer every question"):
        service.submit_attempt(world.shopper.shopper, quiz, {first.pk: answers[first.pk]})
    with pytest.raises(ValidationError):
        service.submit_attempt(world.shopper.shopper, quiz, {first.pk: answers[second.pk], second.pk: answers[second.pk]})
    assert not QuizAttempt.objects.exists()


def test_my_qualifications_page_says_where_each_stands_and_what_to_do(world, client_for):
    quiz = make_quiz()
    identity = Qualification.objects.create(name="Identity check", kind="document", valid_months=24)
    background = Qualification.objects.create(name="Background check", kind="document")
    Qualification.objects.create(name="Retired course", kind="quiz", active=False)
    programme = Programme.objects.create(name="Store visits")
    programme.required_qualifications.add(quiz.qualification, identity)
    shopper = world.shopper.shopper
    Credential.objects.create(shopper=shopper, qualification=identity, status="rejected", note="The photo is blurred")
    Credential.objects.create(shopper=shopper, qualification=background, status="pending")
    page = client_for(world.shopper).get(reverse("pool:qualifications")).content.decode()
    assert "not accepted:</strong> The photo is blurred" in page and "Send a new document" in page
    assert "waiting for a check" in page and "Not held" in page and "Take the quiz" in page
    assert "Needed for: Store visits" in page and "Retired course" not in page
    assert "2 attempts left" in page and "Pass mark 60%" in page
    assert reverse("pool:quiz-take", args=[quiz.qualification_id]) in page


def test_taking_the_quiz_on_the_phone(world, client_for):
    quiz = make_quiz(instructions="Take notes outside.")
    client = client_for(world.shopper)
    url = reverse("pool:quiz-take", args=[quiz.qualification_id])
    page = client.get(url).content.decode()
    assert "data-quiz-instructions" in page and "Take notes outside." in page
    assert 'type="radio"' in page and 'type="checkbox"' in page  # one right answer: radios; several: boxes
    assert "Tick every right answer." in page
    # Nothing on the page says which answer is right.
    assert "correct" not in page.lower() and "right_" not in page
    response = client.post(url, {})
    assert response.status_code == 400 and "Choose an answer." in response.content.decode()
    summary = response.content.decode().split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert "Question 1</a>: Choose an answer." in summary and "Question 2</a>: Tick at least one answer." in summary
    assert "Where do you take notes?" not in summary
    first = quiz.questions.get(position=0)
    kept = {f"q{first.pk}": str(right_answers(quiz)[first.pk][0])}
    response = client.post(url, kept)
    assert "checked" in response.content.decode()  # the answer given is kept
    response = client.post(url, post_answers(wrong_answers(quiz)), follow=True)
    page = response.content.decode()
    attempt = QuizAttempt.objects.get()
    assert response.redirect_chain[-1][0] == reverse("pool:quiz-result", args=[attempt.pk])
    assert "0% · Not passed" in page and "0.0%" not in page and "Pass mark 60%" in page and "2 wrong out of 2 questions" in page
    assert "You can try again from" in page and "1 attempt left" in page
    assert "Take notes outside." in page and "read the quiz's instructions below again" in page
    for choice in Choice.objects.filter(correct=True):
        assert choice.text not in page  # the right answers are never shown
    # Cooling off: the quiz page sends the shopper back with the reason.
    response = client.get(url, follow=True)
    assert "You can try again from" in response.content.decode()
    QuizAttempt.objects.update(finished_at=timezone.now() - timedelta(days=8))
    response = client.post(url, post_answers(right_answers(quiz)), follow=True)
    assert "100% · Passed" in response.content.decode() and "100.0%" not in response.content.decode()
    assert "You passed: Store visit certification is yours." in response.content.decode()
    assert service.state_of(service.relevant(Credential.objects.all())) == service.HELD


def test_a_shopper_sees_only_their_own_attempts(world, client_for):
    quiz = make_quiz()
    attempt = service.submit_attempt(world.other_shopper.shopper, quiz, wrong_answers(quiz))
    assert client_for(world.shopper).get(reverse("pool:quiz-result", args=[attempt.pk])).status_code == 404
    assert client_for(world.other_shopper).get(reverse("pool:quiz-result", args=[attempt.pk])).status_code == 200


def test_sending_a_document_and_who_may_open_it(world, client_for, private_media):
    identity = Qualification.objects.create(name="Identity check", kind="document", valid_months=24)
    client = client_for(world.shopper)
    url = reverse("pool:document-send", args=[identity.pk])
    response = client.post(url, {"document": SimpleUploadedFile("id.txt", b"hello there", "text/plain")})
    assert response.status_code == 400 and "Send a PDF, or a photo as JPEG or PNG." in response.content.decode()
    # A browser cannot put the chosen file back: the summary asks for it again instead of promising to keep it.
    assert "Choose the file again: a browser cannot keep a chosen file." in response.content.decode()
    assert "Everything you typed is kept" not in response.content.decode()
    response = client.post(url, {"document": SimpleUploadedFile("passport.pdf", PDF, "application/pdf")}, follow=True)
    assert "Sent. An administrator will check your document for “Identity check”" in response.content.decode()
    credential = Credential.objects.get()
    assert credential.status == "pending" and credential.document.name.endswith(".pdf")
    assert "passport" not in credential.document.name
    assert (private_media / "private" / credential.document.name).exists()
    # Waiting: no second document.
    response = client.get(url, follow=True)
    assert "is waiting for a check" in response.content.decode()
    file_url = reverse("pool:document-file", args=[credential.pk])
    response = client.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client_for(world.admin).get(file_url).status_code == 200
    assert client_for(world.other_shopper).get(file_url).status_code == 404
    assert client_for(world.lead).get(file_url).status_code == 403


def test_a_photo_document_is_stored_without_its_metadata(world):
    identity = Qualification.objects.create(name="Identity check", kind="document")
    credential = service.send_document(world.shopper.shopper, identity,
                                       SimpleUploadedFile("id.png", image_bytes(), "image/png"))
    assert credential.document.name.endswith(".jpg") and service.content_type(credential) == "image/jpeg"


def test_a_pdf_that_cannot_be_opened_is_refused(world, client_for):
    identity = Qualification.objects.create(name="Identity check", kind="document")
    url = reverse("pool:document-send", args=[identity.pk])
    for broken in (PDF[:len(PDF) // 3], PDF.replace(b"%%EOF", b"")):
        response = client_for(world.shopper).post(url, {"document": SimpleUploadedFile("id.pdf", broken)})
        assert response.status_code == 400 and "This PDF cannot be opened" in response.content.decode()
    assert not Credential.objects.exists()
    assert service.readable_pdf(PDF)


def test_a_document_over_the_size_limit_is_refused(world, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    identity = Qualification.objects.create(name="Identity check", kind="document")
    with pytest.raises(ValidationError, match="the limit is"):
        service.send_document(world.shopper.shopper, identity, SimpleUploadedFile("a.pdf", PDF + b"x" * 20))


def test_a_renewed_document_waits_while_the_old_one_holds(world, client_for):
    identity = Qualification.objects.create(name="Identity check", kind="document", valid_months=24)
    shopper = world.shopper.shopper
    Credential.objects.create(shopper=shopper, qualification=identity, status="approved",
                              expires_on=timezone.localdate() + timedelta(days=20))
    assert service.may_send(shopper, identity) is None
    service.send_document(shopper, identity, SimpleUploadedFile("id.pdf", PDF))
    assert "is waiting for a check" in service.may_send(shopper, identity)
    page = client_for(world.shopper).get(reverse("pool:qualifications")).content.decode()
    assert "Held until" in page and "Your renewed document is waiting for a check." in page


def test_a_quiz_score_shows_its_decimal_only_where_there_is_one():
    from decimal import Decimal

    from pool.models import QuizAttempt

    figures = [QuizAttempt(score_percent=Decimal(v)).score_figure for v in ("100.0", "0.0", "66.7", "12.5")]
    assert figures == ["100", "0", "66.7", "12.5"]
