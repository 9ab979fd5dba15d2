"""The conversation's pages: the messages on one report (reached from the reviewer's validation page and the
shopper's report page, which show them in a panel), a shopper's appeal, and the QA desk's appeals queue."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from pool import conversation as talk
from pool.forms_conversation import AppealFilterForm, AppealForm, DecisionForm, MessageForm
from pool.models import Appeal, ReportMessage
from qa.forms import add_service_errors
from qa.http import opened_by_person, parse_id
from shops.models import Assignment, AssignmentEvent

S = Assignment.Status


def report_page(user, assignment) -> str:
    """Where this person reads the report: the validation page for the QA desk, their own page for the shopper."""
    if talk.is_shopper_of(user, assignment):
        return reverse("shopper-report", args=[assignment.pk])
    return reverse("validation-detail", args=[assignment.report.pk])


def get_assignment(request, pk):
    return get_object_or_404(talk.reports_for(request.user), pk=parse_id(pk))


# --- the panel on qa's report pages (qa.extensions) ----------------------------------------------------------

def thread_context(user, assignment, form=None, reading=True) -> dict:
    """The messages, which are new to this reader (then marked read, when `reading`: a person opened the page), and
    the form to write."""
    shopper_side = talk.is_shopper_of(user, assignment)
    thread = list(talk.conversation(assignment))
    new_ids = set(talk.unread_for(user, assignment).values_list("pk", flat=True))
    if reading:
        talk.mark_read(user, assignment)
    shopper_user_id = assignment.shopper.user_id
    for message in thread:
        message.from_shopper = message.author_id == shopper_user_id
        message.mine = message.author_id == user.pk
        message.is_new = message.pk in new_ids
    return {"assignment": assignment, "thread": thread, "shopper_side": shopper_side,
            "form": form or MessageForm(), "open": assignment.status != assignment.Status.CANCELLED,
            "post_url": reverse("pool:messages", args=[assignment.pk])}


def appeal_context(user, assignment) -> dict:
    appeal = talk.appeal_of(assignment)
    rejection = talk.rejection_event(assignment)
    return {"appeal": appeal, "rejection": rejection, "appeal_days": talk.APPEAL_DAYS,
            "appeal_deadline": talk.appeal_deadline(assignment),
            "appeal_refusal": talk.appeal_refusal(assignment) if rejection else None}


def draft_key(assignment) -> str:
    return f"pool-message-draft-{assignment.pk}"


def refused_draft_form(request, assignment):
    """A message refused when sent from the panel comes back into it once, with its error and the text kept."""
    draft = request.session.pop(draft_key(assignment), None)
    if draft is None:
        return None
    form = MessageForm({"body": draft})
    form.is_valid()
    return form


def report_panel(request, assignment):
    user = request.user
    if not talk.may_talk(user, assignment) or not talk.has_report(assignment):
        return None
    context = thread_context(user, assignment, refused_draft_form(request, assignment),
                             reading=opened_by_person(request))
    context.update(appeal_context(user, assignment))
    return {"template": "pool/conversation/_panel.html", "context": context}


def report_history(assignment) -> list[tuple]:
    """Messages and the appeal, for the validation page's history."""
    entries = []
    shopper_user_id = assignment.shopper.user_id if assignment.shopper_id else None
    for message in talk.conversation(assignment):
        who = message.author.get_full_name() or message.author.username
        side = _("Message from the shopper") if message.author_id == shopper_user_id else _("Message to the shopper")
        text = message.body if len(message.body) <= 160 else message.body[:157] + "…"
        entries.append((message.sent_at, f"{side} · {who}: {text}"))
    appeal = talk.appeal_of(assignment)
    if appeal is not None:
        entries.append((appeal.submitted_at, _("Appealed by the shopper: %(reason)s") % {"reason": appeal.reason}))
        if appeal.decision == Appeal.Decision.UPHELD:
            who = appeal.decided_by.get_full_name() or appeal.decided_by.username
            entries.append((appeal.decided_at, _("Appeal refused, rejection upheld · %(who)s: %(reason)s") % {
                "who": who, "reason": appeal.decision_reason}))
    return entries


def report_badges(user, assignment_ids) -> dict:
    """"New message" beside each of the shopper's reports with a message from the QA desk they have not read,
    and a note on those whose appeal waits for a decision."""
    if not user.is_authenticated or not assignment_ids:
        return {}
    unread = (ReportMessage.objects.filter(assignment_id__in=assignment_ids, assignment__shopper__user=user,
                                           read_at__isnull=True).exclude(author=user)
              .values_list("assignment_id", flat=True).distinct())
    found = {pk: [_("New message")] for pk in unread}
    waiting = Appeal.objects.filter(assignment_id__in=assignment_ids, assignment__shopper__user=user,
                                    decision=Appeal.Decision.PENDING).values_list("assignment_id", flat=True)
    for pk in waiting:
        found.setdefault(pk, []).append(_("Appeal waiting for a decision"))
    return found


# --- pages ---------------------------------------------------------------------------------------------------

class MessagesView(LoginRequiredMixin, View):
    """The whole conversation on one report, and the form to write (where a refused post comes back)."""

    http_method_names = ["get", "post"]

    def render_page(self, request, assignment, form=None, status=200):
        context = thread_context(request.user, assignment, form, reading=opened_by_person(request))
        context["back_url"] = report_page(request.user, assignment)
        return render(request, "pool/conversation/messages.html", context, status=status)

    def get(self, request, pk):
        return self.render_page(request, get_assignment(request, pk))

    def post(self, request, pk):
        assignment = get_assignment(request, pk)
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                talk.post_message(assignment, request.user, form.cleaned_data["body"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if talk.is_shopper_of(request.user, assignment):
                    messages.success(request, _("Sent. The QA team has been e-mailed; their answer appears here."))
                else:
                    messages.success(request, _("Sent to the shopper by e-mail; their answer appears on this page."))
                return redirect(report_page(request.user, assignment) + "#conversation")
        if request.POST.get("from_panel"):
            # Sent from the report page's panel: back to it, where the panel's form shows the error (its summary
            # and the field's, no alert above the page saying the same a third time) and the text.
            request.session[draft_key(assignment)] = (request.POST.get("body") or "")[:2 * talk.MESSAGE_MAX]
            return redirect(report_page(request.user, assignment) + "#conversation")
        return self.render_page(request, assignment, form, status=422)


class AppealCreateView(LoginRequiredMixin, View):
    """A shopper appeals the rejection of their report, once, within the time allowed."""

    http_method_names = ["get", "post"]

    def get_assignment(self, request, pk):
        assignment = get_assignment(request, pk)
        if not talk.is_shopper_of(request.user, assignment):
            raise PermissionDenied(_("Only the shopper who made the visit can appeal its rejection."))
        return assignment

    def refused(self, request, assignment):
        """Nothing to appeal (not rejected, already appealed, too late): back to the report, saying why."""
        refusal = talk.appeal_refusal(assignment)
        if refusal is None:
            return None
        messages.warning(request, refusal)
        return redirect(reverse("shopper-report", args=[assignment.pk]) + "#outcome")

    def render_page(self, request, assignment, form, status=200):
        context = appeal_context(request.user, assignment)
        context.update({"assignment": assignment, "form": form})
        return render(request, "pool/conversation/appeal_form.html", context, status=status)

    def get(self, request, pk):
        assignment = self.get_assignment(request, pk)
        return self.refused(request, assignment) or self.render_page(request, assignment, AppealForm())

    def post(self, request, pk):
        assignment = self.get_assignment(request, pk)
        refused = self.refused(request, assignment)
        if refused:
            return refused
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                talk.appeal(assignment, request.user, form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Appeal sent. A reviewer other than the one who rejected the report "
                                            "decides; you will be e-mailed the decision."))
                return redirect(reverse("shopper-report", args=[assignment.pk]) + "#appeal")
        return self.render_page(request, assignment, form, status=422)


class AppealQueueView(LoginRequiredMixin, View):
    """The QA desk's appeals, waiting ones first, and the reports where a shopper's message is not read yet."""

    http_method_names = ["get"]

    def get(self, request):
        appeals = talk.appeals_for(request.user)
        form = AppealFilterForm(request.GET or None)
        bad_filter = form.is_bound and not form.is_valid()
        # As the Shoppers list: 400 with the error, and nothing under it (no appeals, no empty-state, no unread
        # messages): the page shows nothing the filter does not describe.
        if bad_filter:
            appeals = appeals.none()
        chosen = form.cleaned_data.get("decision") if form.is_bound and not bad_filter else ""
        shown = chosen or "pending"
        if shown != "all":
            appeals = appeals.filter(decision=shown)
        order = ["submitted_at", "pk"] if shown == Appeal.Decision.PENDING else ["-submitted_at", "-pk"]
        rejections = Prefetch("assignment__events", to_attr="rejections",
                              queryset=AssignmentEvent.objects.filter(to_status=S.REJECTED).select_related("by"))
        page = Paginator(appeals.order_by(*order).prefetch_related(rejections), 25).get_page(request.GET.get("page"))
        for appeal in page.object_list:
            appeal.rejection = appeal.assignment.rejections[-1] if appeal.assignment.rejections else None
            appeal.mine = appeal.rejection is not None and appeal.rejection.by_id == request.user.pk
        return render(request, "pool/conversation/appeals.html", {
            "filter_form": form if form.is_bound else AppealFilterForm(initial={"decision": "pending"}),
            "bad_filter": bad_filter,
            "page_obj": page, "appeals": page.object_list, "shown": shown,
            "query_without_page": urlencode({"decision": shown}),
            "waiting_messages": [] if bad_filter else talk.unanswered_reports()[:20],
        }, status=400 if bad_filter else 200)


class AppealDecideView(LoginRequiredMixin, View):
    """One appeal: the rejection, the shopper's reason, and the decision by another reviewer."""

    http_method_names = ["get", "post"]

    def render_page(self, request, appeal, form, status=200):
        assignment = appeal.assignment
        return render(request, "pool/conversation/appeal_decide.html", {
            "appeal": appeal, "assignment": assignment, "report": assignment.report, "form": form,
            "rejection": talk.rejection_event(assignment),
            "refusal": talk.decision_refusal(appeal, request.user),
            "thread": talk.conversation(assignment),
        }, status=status)

    def get(self, request, pk):
        appeal = get_object_or_404(talk.appeals_for(request.user), pk=parse_id(pk))
        return self.render_page(request, appeal, DecisionForm())

    def post(self, request, pk):
        appeal = get_object_or_404(talk.appeals_for(request.user), pk=parse_id(pk))
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decided = talk.decide(appeal, request.user, form.cleaned_data["decision"],
                                      form.cleaned_data["decision_reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if decided.decision == Appeal.Decision.OVERTURNED:
                    messages.success(request, _("Rejection overturned: the report is approved and counts. "
                                                "The shopper has been e-mailed."))
                else:
                    messages.success(request, _("Rejection upheld. The shopper has been e-mailed the reason."))
                return redirect("pool:appeals")
        return self.render_page(request, appeal, form, status=422)
