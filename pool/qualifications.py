"""Qualifications as a shopper meets them: where each stands for them (held, expired, waiting for a check, not
accepted, not held), taking a certification quiz (attempts limit and cooling-off enforced here, a pass grants
the qualification), sending a document and an administrator's check of it; and the QA lead's quiz editor.

Right answers never leave this module before a pass: an attempt keeps which questions were wrong, not what the
right answers were."""

import calendar
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pool.models import Choice, Credential, Programme, Qualification, Question, Quiz, QuizAttempt
from qa import formats
from qa.http import absolute_url
from shops.models import Shopper

MIN_ANSWERS, MAX_ANSWERS = 2, 6
RENEW_DAYS = 30  # a quiz may be taken again this many days before the qualification it gives expires

HELD, EXPIRED, PENDING, REJECTED, NOT_HELD = "held", "expired", "pending", "rejected", "not_held"

# Documents: what a phone sends (a scan as PDF, a photo as JPEG or PNG), checked from the content, not the name.
PDF, JPEG, PNG = "pdf", "jpg", "png"
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days (31 Jan + 1 month: 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(qualification, today=None) -> datetime.date | None:
    today = today or timezone.localdate()
    return add_months(today, qualification.valid_months) if qualification.valid_months else None


MAX_EXPIRY_MONTHS = 120  # a document of a qualification without its own validity: at most ten years ahead


def latest_expiry(qualification, today=None) -> datetime.date:
    """The latest expiry an administrator may give a document: the qualification's validity from today, else ten
    years ahead."""
    today = today or timezone.localdate()
    return add_months(today, qualification.valid_months or MAX_EXPIRY_MONTHS)


def expiry_error(qualification, expires_on, today=None) -> str | None:
    """Why an approved document may not expire on this date (None: it never expires), or None. A qualification
    valid for some months always gets a date, within them."""
    today = today or timezone.localdate()
    if expires_on is None:
        if qualification.valid_months:
            return _("Give the date it expires, no later than %(date)s: %(name)s is valid for %(n)s months.") % {
                "date": formats.date(latest_expiry(qualification, today)), "name": qualification.name,
                "n": qualification.valid_months}
        return None
    if expires_on <= today:
        if qualification.valid_months:
            return _("Choose a date after today.")
        return _("Choose a date after today, or leave it empty if it never expires.")
    latest = latest_expiry(qualification, today)
    if expires_on > latest:
        if qualification.valid_months:
            return _("Choose a date no later than %(date)s: %(name)s is valid for %(n)s months.") % {
                "date": formats.date(latest), "name": qualification.name, "n": qualification.valid_months}
        return _("Choose a date no later than %(date)s (ten years from today), or leave it empty if it never "
                 "expires.") % {"date": formats.date(latest)}
    return None


# --- Where a qualification stands for a shopper -------------------------------------------------------------

def relevant(credentials, today=None):
    """The credential that says where a qualification stands, from one shopper's credentials for it: one held
    (the latest expiry), else one waiting for a check, else the latest sent (expired or not accepted)."""
    today = today or timezone.localdate()
    credentials = list(credentials)
    held = [c for c in credentials if c.is_held(today)]
    if held:
        return max(held, key=lambda c: (c.expires_on is None, c.expires_on or today))
    pending = [c for c in credentials if c.status == Credential.Status.PENDING]
    if pending:
        return max(pending, key=lambda c: (c.submitted_at, c.pk))
    return max(credentials, key=lambda c: (c.checked_at or c.submitted_at, c.pk), default=None)


def state_of(credential, today=None) -> str:
    today = today or timezone.localdate()
    if credential is None:
        return NOT_HELD
    if credential.is_held(today):
        return HELD
    return {Credential.Status.APPROVED: EXPIRED, Credential.Status.PENDING: PENDING,
            Credential.Status.REJECTED: REJECTED}[credential.status]


def describe(credential, today=None) -> str:
    """Where it stands, in words: "Held until 3 Mar 2027", "Expired on 1 Nov 2026", ..."""
    state = state_of(credential, today)
    if state == HELD:
        if credential.expires_on is None:
            return _("Held; it does not expire")
        return _("Held until %(date)s") % {"date": formats.date(credential.expires_on)}
    if state == EXPIRED:
        return _("Expired on %(date)s") % {"date": formats.date(credential.expires_on)}
    if state == PENDING:
        return _("Sent on %(date)s, waiting for a check") % {"date": formats.date(credential.submitted_at)}
    if state == REJECTED:
        return _("Not accepted: %(reason)s") % {"reason": credential.note}
    return _("Not held")


@dataclass
class Row:
    """One qualification on a shopper's "My qualifications" page."""

    qualification: Qualification
    credential: Credential | None
    state: str
    label: str
    programmes: list = field(default_factory=list)
    standing: "Standing | None" = None  # quizzes only
    renewal_pending: bool = False  # held, and a newer document is waiting for a check


def rows_for(shopper, today=None) -> list[Row]:
    """Every active qualification with where it stands for this shopper and the active programmes needing it."""
    today = today or timezone.localdate()
    # A quiz without questions yet cannot be taken: shoppers do not see it until it has some.
    qualifications = (Qualification.objects.filter(active=True).annotate(questions=Count("quiz__questions"))
                      .exclude(kind=Qualification.Kind.QUIZ, questions=0).select_related("quiz")
                      .prefetch_related(Prefetch("programmes", Programme.objects.filter(active=True)),
                                        Prefetch("credentials", Credential.objects.filter(shopper=shopper),
                                                 to_attr="mine")))
    attempts = {}
    for attempt in QuizAttempt.objects.filter(shopper=shopper).order_by("-finished_at", "-pk"):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    rows = []
    for qualification in qualifications:
        credential = relevant(qualification.mine, today)
        state = state_of(credential, today)
        row = Row(qualification, credential, state, describe(credential, today), list(qualification.programmes.all()),
                  renewal_pending=state == HELD and any(c.status == Credential.Status.PENDING
                                                        for c in qualification.mine))
        if qualification.kind == Qualification.Kind.QUIZ and hasattr(qualification, "quiz"):
            row.standing = standing(shopper, qualification.quiz, credential=credential,
                                    attempts=attempts.get(qualification.quiz.pk, []))
        rows.append(row)
    # What needs doing first: what programmes need and the shopper lacks, then the rest.
    rows.sort(key=lambda r: (r.state == HELD, not r.programmes, r.qualification.name.lower()))
    return rows


def missing_for(shopper, programme, today=None, credentials=None) -> list[str]:
    """The programme's required (active) qualifications this shopper does not hold today, each with why.
    `credentials`: all of the shopper's credentials when already read (pool.rules.preload)."""
    today = today or timezone.localdate()
    required = [q for q in programme.required_qualifications.all() if q.active]
    if not required:
        return []
    by_qualification = {}
    wanted = {q.pk for q in required}
    if credentials is None:
        credentials = Credential.objects.filter(shopper=shopper, qualification__in=required)
    for credential in (c for c in credentials if c.qualification_id in wanted):
        by_qualification.setdefault(credential.qualification_id, []).append(credential)
    missing = []
    for qualification in required:
        credential = relevant(by_qualification.get(qualification.pk, []), today)
        state = state_of(credential, today)
        if state == HELD:
            continue
        if state == NOT_HELD:
            missing.append(qualification.name)
        else:
            label = describe(credential, today)
            missing.append(_("%(name)s (%(state)s)") % {"name": qualification.name,
                                                        "state": label[:1].lower() + label[1:]})
    return missing


# --- Quizzes ------------------------------------------------------------------------------------------------

@dataclass
class Standing:
    """Whether a shopper may take a quiz now, and if not, why and from when."""

    may_take: bool
    reason: str = ""
    attempts_used: int = 0
    attempts_left: int = 0
    next_try_at: datetime.datetime | None = None
    last: QuizAttempt | None = None


def standing(shopper, quiz, *, credential=None, attempts=None, now=None) -> Standing:
    """Attempts count since the shopper last passed (so a holder renews with a fresh allowance); after a failed
    attempt the shopper waits the cooling-off days; a holder may renew from RENEW_DAYS before expiry."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if attempts is None:
        attempts = list(QuizAttempt.objects.filter(shopper=shopper, quiz=quiz).order_by("-finished_at", "-pk"))
    if credential is None:
        credential = relevant(Credential.objects.filter(shopper=shopper, qualification_id=quiz.qualification_id),
                              today)
    since_pass = []
    for attempt in attempts:
        if attempt.passed:
            break
        since_pass.append(attempt)
    used = len(since_pass)
    result = Standing(may_take=False, attempts_used=used, attempts_left=max(0, quiz.max_attempts - used),
                      last=attempts[0] if attempts else None)
    if credential is not None and credential.is_held(today) and (
            credential.expires_on is None or credential.expires_on > today + datetime.timedelta(days=RENEW_DAYS)):
        result.reason = _("You hold this qualification.")
        return result
    if used >= quiz.max_attempts:
        result.reason = _("You have used all %(n)s attempts. Ask the QA team if you want another chance.") % {
            "n": quiz.max_attempts}
        return result
    if since_pass and quiz.cooling_off_days:
        next_try = since_pass[0].finished_at + datetime.timedelta(days=quiz.cooling_off_days)
        if next_try > now:
            result.next_try_at = next_try
            result.reason = _("You can try again from %(when)s.") % {"when": formats.datetime(next_try)}
            return result
    if not quiz.questions.exists():
        result.reason = _("This quiz has no questions yet; the QA team is preparing it.")
        return result
    result.may_take = True
    return result


def questions_of(quiz):
    return quiz.questions.prefetch_related("choices")


def multiple(question) -> bool:
    """Whether the question takes several answers (check boxes): it has more than one right answer. Saying so
    tells the shopper how many are right, not which."""
    return sum(1 for choice in question.choices.all() if choice.correct) > 1


@transaction.atomic
def submit_attempt(shopper, quiz, answers: dict) -> QuizAttempt:
    """Grade an attempt. `answers` is {question id: [choice ids]}. A question is right when exactly its right
    answers were chosen. A pass (score at least the pass mark) grants the qualification, expiring after the
    qualification's valid months (or never)."""
    Shopper.objects.select_for_update().filter(pk=shopper.pk).first()  # one attempt at a time per shopper
    quiz = Quiz.objects.select_related("qualification").get(pk=quiz.pk)
    if not quiz.qualification.active:
        raise ValidationError(_("This qualification is no longer offered."))
    now = timezone.now()
    found = standing(shopper, quiz, now=now)
    if not found.may_take:
        raise ValidationError(found.reason)
    questions = list(questions_of(quiz))
    chosen, wrong = {}, []
    for question in questions:
        valid = {choice.pk for choice in question.choices.all()}
        picked = {int(pk) for pk in answers.get(question.pk, answers.get(str(question.pk), [])) or []}
        if not picked or not picked <= valid:
            raise ValidationError(_("Answer every question: “%(question)s” has no answer.") % {
                "question": question.text[:80]})
        chosen[str(question.pk)] = sorted(picked)
        if picked != {choice.pk for choice in question.choices.all() if choice.correct}:
            wrong.append(question.pk)
    score = round(100 * (len(questions) - len(wrong)) / len(questions), 1)
    passed = score >= quiz.pass_percent
    attempt = QuizAttempt.objects.create(quiz=quiz, shopper=shopper, finished_at=now, answers=chosen, wrong=wrong,
                                         score_percent=score, passed=passed)
    if passed:
        Credential.objects.create(
            shopper=shopper, qualification=quiz.qualification, status=Credential.Status.APPROVED, submitted_at=now,
            checked_at=now, expires_on=default_expiry(quiz.qualification, timezone.localdate(now)),
            note=_("Passed the quiz with %(score)s%%.") % {"score": formats.figure(score, 1)})
    return attempt


# --- Documents ----------------------------------------------------------------------------------------------

def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def readable_pdf(data: bytes) -> bool:
    """Whether a PDF can be opened: it ends with its %%EOF trailer (a file cut short in sending does not) and pypdf
    (a runtime requirement) parses it with at least one page."""
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return False
    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages) > 0
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors for a damaged file
        return False


def content_type(credential) -> str:
    extension = credential.document.name.rsplit(".", 1)[-1].lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def may_send(shopper, qualification, today=None) -> str | None:
    """Why this shopper may not send a document for this qualification now, or None."""
    today = today or timezone.localdate()
    if qualification.kind != Qualification.Kind.DOCUMENT or not qualification.active:
        return _("%(name)s is not a document qualification you can send now.") % {"name": qualification.name}
    credentials = list(Credential.objects.filter(shopper=shopper, qualification=qualification))
    credential = relevant(credentials, today)
    if any(c.status == Credential.Status.PENDING for c in credentials):
        return _("Your document for %(name)s is waiting for a check; you will see the outcome here.") % {
            "name": qualification.name}
    if state_of(credential, today) == HELD and credential.expires_on is None:
        return _("You hold %(name)s and it does not expire.") % {"name": qualification.name}
    return None


@transaction.atomic
def send_document(shopper, qualification, upload) -> Credential:
    """Store a shopper's document (PDF kept as sent; a photo re-encoded without its metadata, as evidence is)
    and put it in the administrators' queue."""
    from qa.evidence import reencode

    Shopper.objects.select_for_update().filter(pk=shopper.pk).first()
    refusal = may_send(shopper, qualification)
    if refusal:
        raise ValidationError(refusal)
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError({"document": _("This file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(upload.size / 1048576, 1), "limit": round(settings.EVIDENCE_MAX_BYTES / 1048576, 1)}})
    data = upload.read()
    kind = sniff(data[:8])
    if kind is None:
        raise ValidationError({"document": _("Send a PDF, or a photo as JPEG or PNG.")})
    if kind == PDF and not readable_pdf(data):
        raise ValidationError({"document": _("This PDF cannot be opened: it may be damaged or cut short in sending. "
                                             "Save or scan it again and send the new file.")})
    if kind in (JPEG, PNG):
        try:
            data, _width, _height = reencode(data)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
        kind = JPEG
    credential = Credential(shopper=shopper, qualification=qualification, status=Credential.Status.PENDING)
    credential.document.save(f"document.{kind}", ContentFile(data), save=False)
    credential.save()
    return credential


def check_queue():
    return (Credential.objects.filter(status=Credential.Status.PENDING, qualification__kind=Qualification.Kind.DOCUMENT)
            .select_related("shopper__user", "qualification").order_by("submitted_at", "pk"))


def _lock_pending(credential):
    credential = Credential.objects.select_for_update().select_related("qualification", "shopper__user").get(
        pk=credential.pk)
    if credential.status != Credential.Status.PENDING:
        raise ValidationError(_("This document was already checked: %(state)s.") % {
            "state": credential.get_status_display().lower()})
    return credential


def _tell_shopper(credential, subject, body):
    """E-mail the shopper the outcome of their document's check, once the decision is saved."""
    email = credential.shopper.user.email
    if not email:
        return
    body = "%s\n\n%s" % (body, _("See your qualifications: %(link)s") % {
        "link": absolute_url(reverse("pool:qualifications"))})
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))


@transaction.atomic
def approve(credential, by, expires_on) -> Credential:
    credential = _lock_pending(credential)
    error = expiry_error(credential.qualification, expires_on)
    if error:
        raise ValidationError({"expires_on": error})
    credential.status = Credential.Status.APPROVED
    credential.expires_on = expires_on
    credential.checked_by, credential.checked_at, credential.note = by, timezone.now(), ""
    credential._change_reason = "approved"
    credential.save()
    name = credential.qualification.name
    if expires_on is None:
        validity = _("It does not expire.")
    else:
        validity = _("It is valid until %(date)s.") % {"date": formats.date(expires_on)}
    _tell_shopper(credential, _("Your document for %(name)s is approved") % {"name": name},
                  _("Your document for %(name)s was checked and approved. %(validity)s") % {
                      "name": name, "validity": validity})
    return credential


@transaction.atomic
def reject(credential, by, reason: str) -> Credential:
    credential = _lock_pending(credential)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is not accepted: the shopper reads it.")})
    credential.status = Credential.Status.REJECTED
    credential.checked_by, credential.checked_at, credential.note = by, timezone.now(), reason
    credential._change_reason = "rejected"
    credential.save()
    name = credential.qualification.name
    _tell_shopper(credential, _("Your document for %(name)s was not accepted") % {"name": name},
                  _("Your document for %(name)s was checked and not accepted.\n\nWhy: %(reason)s\n\nYou can send a "
                    "new document from My qualifications.") % {"name": name, "reason": reason})
    return credential


# --- The quiz editor ----------------------------------------------------------------------------------------

def requiring_programmes(qualification) -> list[str]:
    """The names of the programmes (active or not) whose visits require this qualification."""
    if not qualification.pk:
        return []
    return list(Programme.objects.filter(required_qualifications=qualification).order_by("name")
                .values_list("name", flat=True))


@transaction.atomic
def save_qualification(qualification, quiz_fields: dict | None) -> Qualification:
    """Save a qualification; a quiz qualification gets its quiz settings (kept if it becomes a document one)."""
    qualification.save()
    if qualification.kind == Qualification.Kind.QUIZ:
        quiz, _created = Quiz.objects.get_or_create(qualification=qualification)
        for name, value in (quiz_fields or {}).items():
            setattr(quiz, name, value)
        quiz.save()
    return qualification


@transaction.atomic
def save_questions(quiz, rows) -> int:
    """Replace the quiz's questions with `rows` [(question or None, text, [(answer, right), ...], delete)], in
    order. Answers keep their ids where a row keeps its place, so past attempts still point at them."""
    kept = 0
    for position, (question, text, answers, delete) in enumerate(rows):
        if delete:
            if question is not None:
                question.delete()
            continue
        if not (MIN_ANSWERS <= len(answers) <= MAX_ANSWERS) or not any(right for _text, right in answers):
            raise ValidationError(_("Each question needs %(min)s to %(max)s answers, at least one of them right.") % {
                "min": MIN_ANSWERS, "max": MAX_ANSWERS})
        if question is None:
            question = Question(quiz=quiz)
        question.text, question.position = text, position
        question.save()
        existing = list(question.choices.all())
        for index, (answer, right) in enumerate(answers):
            choice = existing[index] if index < len(existing) else Choice(question=question)
            choice.text, choice.correct, choice.position = answer, right, index
            choice.save()
        for extra in existing[len(answers):]:
            extra.delete()
        kept += 1
    return kept
