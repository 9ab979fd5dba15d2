"""The pool qualifications pages' entries in the access matrix (see tests/pool/matrix.py)."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pool import qualifications as service
from pool.models import Choice, Credential, Qualification, Question, Quiz



def pdf_bytes(text="Identity document") -> bytes:
    """A small, valid PDF (pages that link to it are read as a person reads them: tests/test_no_internal_codes)."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(300, 200))
    page.drawString(20, 100, text)
    page.save()
    return out.getvalue()


PDF = pdf_bytes()


def objects(world) -> dict:
    o = {}
    qualification = Qualification.objects.create(name="Matrix quiz", kind="quiz", valid_months=12)
    quiz = Quiz.objects.create(qualification=qualification, pass_percent=50, cooling_off_days=0)
    question = Question.objects.create(quiz=quiz, text="Where do you take notes?")
    o["quiz_wrong"] = Choice.objects.create(question=question, text="In the store", correct=False)
    o["quiz_right"] = Choice.objects.create(question=question, text="Outside, afterwards", correct=True)
    o["quiz"], o["quiz_question"] = quiz, question
    o["quiz_attempt"] = service.submit_attempt(world.shopper.shopper, quiz, {question.pk: [o["quiz_wrong"].pk]})
    o["identity"] = Qualification.objects.create(name="Matrix identity", kind="document")
    o["document_credential"] = Credential(shopper=world.shopper.shopper, qualification=o["identity"],
                                          status=Credential.Status.REJECTED, note="Blurred")
    o["document_credential"].document.save("id.pdf", ContentFile(PDF), save=True)
    o["pending_credential"] = Credential(shopper=world.other_shopper.shopper, qualification=o["identity"])
    o["pending_credential"].document.save("id.pdf", ContentFile(PDF), save=True)
    return o


def entries(o, expect, expect_scoped) -> list:
    shoppers = {"shopper", "other_shopper"}
    runs_pool = {"admin", "lead"}
    quiz_pk = o["quiz"].qualification_id
    identity = o["identity"].pk
    return [
        ("pool:qualifications", "get", reverse("pool:qualifications"), None, expect(shoppers)),
        ("pool:quiz-take", "get", reverse("pool:quiz-take", args=[quiz_pk]), None, expect(shoppers)),
        ("pool:quiz-take", "post", reverse("pool:quiz-take", args=[quiz_pk]),
         {f"q{o['quiz_question'].pk}": str(o["quiz_right"].pk)}, expect(shoppers, ok=302)),
        ("pool:quiz-result", "get", reverse("pool:quiz-result", args=[o["quiz_attempt"].pk]), None,
         expect({"shopper"}, other_shopper=404)),
        ("pool:document-send", "get", reverse("pool:document-send", args=[identity]), None, expect(shoppers,
                                                                                                   other_shopper=302)),
        ("pool:document-send", "post", reverse("pool:document-send", args=[identity]),
         {"document": SimpleUploadedFile("id.pdf", PDF, "application/pdf")}, expect({"shopper"}, ok=302,
                                                                                     other_shopper=400)),
        ("pool:document-file", "get", reverse("pool:document-file", args=[o["document_credential"].pk]), None,
         expect({"shopper", "admin"}, other_shopper=404)),
        ("pool:qualification-list", "get", reverse("pool:qualification-list"), None, expect(runs_pool)),
        ("pool:qualification-create", "get", reverse("pool:qualification-create"), None, expect(runs_pool)),
        ("pool:qualification-update", "get", reverse("pool:qualification-update", args=[quiz_pk]), None,
         expect(runs_pool)),
        ("pool:quiz-questions", "get", reverse("pool:quiz-questions", args=[quiz_pk]), None, expect(runs_pool)),
        ("pool:document-checks", "get", reverse("pool:document-checks"), None, expect({"admin"})),
        ("pool:document-check", "get", reverse("pool:document-check", args=[o["pending_credential"].pk]), None,
         expect({"admin"})),
        ("pool:document-check", "post", reverse("pool:document-check", args=[o["pending_credential"].pk]),
         {"decision": "reject", "reason": "Blurred photo"}, expect({"admin"}, ok=302)),
    ]
