"""The qualifications pages. Shoppers: "My qualifications", taking a quiz on the phone and its result, sending a
document. QA leads and administrators (access.may_run_pool): the qualifications and their quizzes' questions.
Administrators (access.may_check_documents): the document checks. A document is streamed only to its shopper
and to administrators."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from pool import access
from pool import qualifications as service
from pool.forms_qualifications import (ApproveForm, DocumentForm, QualificationForm, QuestionFormSet, RejectForm,
                                       TakeQuizForm, question_initial)
from pool.models import Credential, Qualification, Question, QuizAttempt
from pool.pages import DocumentCheckerPage, PoolRunnerPage, ShopperPage
from qa import files
from qa.forms import add_service_errors
from qa.http import missing_file

PAGE_SIZE = 25








def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Shoppers -----------------------------------------------------------------------------------------------

class MyQualificationsView(ShopperPage, View):
    def get(self, request):
        return render(request, "pool/qualifications/mine.html", {"rows": service.rows_for(self.shopper)})


def active_quiz(pk):
    qualification = get_object_or_404(Qualification.objects.select_related("quiz"), pk=pk, active=True,
                                      kind=Qualification.Kind.QUIZ)
    if not hasattr(qualification, "quiz"):
        raise Http404
    return qualification.quiz


class TakeQuizView(ShopperPage, View):
    template_name = "pool/qualifications/take.html"

    def page(self, request, quiz, form, status=200):
        return render(request, self.template_name, {"quiz": quiz, "qualification": quiz.qualification, "form": form,
                                                    "standing": service.standing(self.shopper, quiz)}, status=status)

    def get(self, request, pk):
        quiz = active_quiz(pk)
        found = service.standing(self.shopper, quiz)
        if not found.may_take:
            messages.info(request, found.reason)
            return redirect("pool:qualifications")
        return self.page(request, quiz, TakeQuizForm(questions=list(service.questions_of(quiz))))

    def post(self, request, pk):
        quiz = active_quiz(pk)
        form = TakeQuizForm(request.POST, questions=list(service.questions_of(quiz)))
        if not form.is_valid():
            return self.page(request, quiz, form, status=400)
        try:
            attempt = service.submit_attempt(self.shopper, quiz, form.answers())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("pool:qualifications")
        if attempt.passed:
            messages.success(request, _("You passed: %(name)s is yours.") % {"name": quiz.qualification.name})
        else:
            messages.warning(request, _("Not passed this time. See which questions to look at again."))
        return redirect("pool:quiz-result", attempt.pk)


class QuizResultView(ShopperPage, View):
    def get(self, request, pk):
        attempt = get_object_or_404(QuizAttempt.objects.select_related("quiz__qualification"), pk=pk,
                                    shopper=self.shopper)
        wrong = set(attempt.wrong or [])
        questions = [(question, question.pk in wrong) for question in
                     Question.objects.filter(quiz=attempt.quiz, pk__in=[int(k) for k in attempt.answers])]
        return render(request, "pool/qualifications/result.html", {
            "attempt": attempt, "quiz": attempt.quiz, "questions": questions, "wrong_count": len(wrong),
            "standing": service.standing(self.shopper, attempt.quiz)})


class SendDocumentView(ShopperPage, View):
    template_name = "pool/qualifications/send.html"

    def qualification(self, pk):
        return get_object_or_404(Qualification, pk=pk, active=True, kind=Qualification.Kind.DOCUMENT)

    def page(self, request, qualification, form, status=200):
        return render(request, self.template_name, {"qualification": qualification, "form": form}, status=status)

    def get(self, request, pk):
        qualification = self.qualification(pk)
        refusal = service.may_send(self.shopper, qualification)
        if refusal:
            messages.info(request, refusal)
            return redirect("pool:qualifications")
        return self.page(request, qualification, DocumentForm())

    def post(self, request, pk):
        qualification = self.qualification(pk)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                service.send_document(self.shopper, qualification, form.cleaned_data["document"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Sent. An administrator will check your document for “%(name)s”; the "
                                            "outcome appears here.") % {
                    "name": qualification.name})
                return redirect("pool:qualifications")
        return self.page(request, qualification, form, status=400)


class DocumentFileView(LoginRequiredMixin, View):
    """The document itself: its shopper and administrators only, never by a public URL."""

    def get(self, request, pk):
        credential = get_object_or_404(Credential.objects.exclude(document=""), pk=pk)
        if not access.may_check_documents(request.user):
            shopper = access.shopper_of(request.user)
            if shopper is None:
                raise PermissionDenied
            if credential.shopper_id != shopper.pk:
                raise Http404
        kind = service.content_type(credential)
        try:
            response = files.file_response(credential.document, kind, filename=f"{credential.qualification.name}."
                                           f"{credential.document.name.rsplit('.', 1)[-1]}")
        except FileNotFoundError:
            return missing_file(request, credential, _("document"))
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- QA leads and administrators: qualifications and quizzes -------------------------------------------------

class QualificationListView(PoolRunnerPage, View):
    def get(self, request):
        today = timezone.localdate()
        qualifications = Qualification.objects.annotate(
            # Shoppers holding it today (approved, unexpired): a renewed document does not count its shopper twice.
            held=Count("credentials__shopper", filter=Q(credentials__status=Credential.Status.APPROVED)
                       & (Q(credentials__expires_on__isnull=True) | Q(credentials__expires_on__gte=today)),
                       distinct=True),
            waiting=Count("credentials", filter=Q(credentials__status=Credential.Status.PENDING), distinct=True),
            questions=Count("quiz__questions", distinct=True),
            programme_count=Count("programmes", distinct=True)).order_by("-active", "name")
        kind = request.GET.get("kind", "")
        if kind in Qualification.Kind.values:
            qualifications = qualifications.filter(kind=kind)
        state = request.GET.get("state", "")
        if state in ("active", "inactive"):
            qualifications = qualifications.filter(active=state == "active")
        page = Paginator(qualifications, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "pool/qualifications/list.html", {
            "page_obj": page, "kinds": Qualification.Kind.choices, "kind": kind, "state": state,
            "query_without_page": query_without_page(request),
            "may_check": access.may_check_documents(request.user),
            "waiting_total": service.check_queue().count()})


class QualificationEditView(PoolRunnerPage, View):
    template_name = "pool/qualifications/form.html"

    def get_object(self, pk):
        return get_object_or_404(Qualification, pk=pk) if pk is not None else Qualification()

    def page(self, request, qualification, form, status=200):
        return render(request, self.template_name, {"object": qualification, "form": form}, status=status)

    def get(self, request, pk=None):
        qualification = self.get_object(pk)
        return self.page(request, qualification, QualificationForm(instance=qualification))

    def post(self, request, pk=None):
        qualification = self.get_object(pk)
        form = QualificationForm(request.POST, instance=qualification)
        if not form.is_valid():
            return self.page(request, qualification, form, status=400)
        qualification = service.save_qualification(form.save(commit=False), form.quiz_fields())
        messages.success(request, _("Saved: %(name)s.") % {"name": qualification.name})
        if qualification.kind == Qualification.Kind.QUIZ and not qualification.quiz.questions.exists():
            messages.info(request, _("Now write the quiz's questions."))
            return redirect("pool:quiz-questions", qualification.pk)
        return redirect("pool:qualification-list")


class QuizQuestionsView(PoolRunnerPage, View):
    template_name = "pool/qualifications/questions.html"

    def quiz(self, pk):
        qualification = get_object_or_404(Qualification.objects.select_related("quiz"), pk=pk,
                                          kind=Qualification.Kind.QUIZ)
        if not hasattr(qualification, "quiz"):
            service.save_qualification(qualification, {})
            qualification = Qualification.objects.select_related("quiz").get(pk=pk)
        return qualification.quiz

    def page(self, request, quiz, formset, status=200):
        errors = []
        for number, form in enumerate(formset.forms, 1):
            for name, field_errors in form.errors.items():
                anchor = form[name].id_for_label if name in form.fields else ""
                for error in field_errors:
                    errors.append({"label": _("Question %(n)s") % {"n": number}, "anchor": anchor,
                                   "message": error})
        errors += [{"label": "", "anchor": "", "message": e} for e in formset.non_form_errors()]
        return render(request, self.template_name, {"quiz": quiz, "qualification": quiz.qualification,
                                                    "formset": formset, "errors": errors}, status=status)

    def get(self, request, pk):
        quiz = self.quiz(pk)
        return self.page(request, quiz, QuestionFormSet(initial=question_initial(quiz), prefix="q"))

    def post(self, request, pk):
        quiz = self.quiz(pk)
        formset = QuestionFormSet(request.POST, prefix="q")
        if formset.is_valid():
            existing = {q.pk: q for q in quiz.questions.all()}
            rows, seen = [], set()
            for form in formset.forms:
                data = form.cleaned_data
                question = existing.get(data.get("id"))
                if question is not None and question.pk in seen:
                    question = None  # a tampered form naming one question twice: the second is a new one
                if question is not None:
                    seen.add(question.pk)
                if form.is_blank and not data.get("DELETE"):
                    continue
                rows.append((question, data["text"], data["answers"], bool(data.get("DELETE"))))
            # Questions left out of the form (another tab removed them) are kept.
            try:
                kept = service.save_questions(quiz, rows)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, _("Saved %(n)s questions for %(name)s.") % {
                    "n": kept, "name": quiz.qualification.name})
                return redirect(reverse("pool:quiz-questions", args=[quiz.qualification_id]))
        return self.page(request, quiz, formset, status=400)


# --- Administrators: document checks -------------------------------------------------------------------------

class DocumentChecksView(DocumentCheckerPage, View):
    def get(self, request):
        page = Paginator(service.check_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
        checked = (Credential.objects.filter(qualification__kind=Qualification.Kind.DOCUMENT, checked_at__isnull=False)
                   .select_related("shopper__user", "qualification", "checked_by").order_by("-checked_at")[:10])
        return render(request, "pool/qualifications/checks.html", {
            "page_obj": page, "checked": checked, "query_without_page": query_without_page(request),
            "today": timezone.localdate()})


class DocumentCheckView(DocumentCheckerPage, View):
    template_name = "pool/qualifications/check.html"

    def credential(self, pk):
        return get_object_or_404(Credential.objects.select_related("shopper__user", "qualification", "checked_by")
                                 .filter(qualification__kind=Qualification.Kind.DOCUMENT), pk=pk)

    def page(self, request, credential, approve_form=None, reject_form=None, status=200):
        today = timezone.localdate()
        return render(request, self.template_name, {
            "credential": credential, "pending": credential.status == Credential.Status.PENDING,
            "label": service.describe(credential, today),
            "approve_form": approve_form or ApproveForm(qualification=credential.qualification, initial={
                "expires_on": service.default_expiry(credential.qualification)}),
            "reject_form": reject_form or RejectForm(),
            "history": credential.history.select_related("history_user").order_by("-history_date")[:20],
            "others": [(other, service.describe(other, today)) for other in Credential.objects.filter(
                shopper=credential.shopper, qualification=credential.qualification).exclude(pk=credential.pk)
                .order_by("-submitted_at")[:10]],
        }, status=status)

    def get(self, request, pk):
        return self.page(request, self.credential(pk))

    def post(self, request, pk):
        credential = self.credential(pk)
        decision = request.POST.get("decision")
        if credential.status != Credential.Status.PENDING:
            messages.error(request, _("This document was already checked: %(state)s.") % {
                "state": credential.get_status_display().lower()})
            return redirect("pool:document-check", credential.pk)
        if decision == "approve":
            form = ApproveForm(request.POST, qualification=credential.qualification)
            if form.is_valid():
                try:
                    service.approve(credential, request.user, form.cleaned_data["expires_on"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Approved: %(name)s for %(shopper)s.") % {
                        "name": credential.qualification.name, "shopper": credential.shopper})
                    return redirect("pool:document-checks")
            return self.page(request, credential, approve_form=form, status=400)
        form = RejectForm(request.POST)
        if form.is_valid():
            if decision != "reject":
                form.add_error(None, _("Choose approve or reject."))
            else:
                try:
                    service.reject(credential, request.user, form.cleaned_data["reason"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Not accepted: %(name)s for %(shopper)s. The shopper sees your "
                                                "reason.") % {"name": credential.qualification.name,
                                                              "shopper": credential.shopper})
                    return redirect("pool:document-checks")
        return self.page(request, credential, reject_form=form, status=400)
