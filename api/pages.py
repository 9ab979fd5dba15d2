"""Pages where people manage their API tokens and webhooks (in the menu under their name, and on their
account page), for those with endpoints to call and events to hear (may_integrate: not mystery shoppers,
whom every endpoint refuses; they get the 403 page, and neither page is in their menu).

A token's text is shown once, on the page answering the form that made it, and never stored: only its
hash is. A webhook's secret likewise is shown once."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from api import events, tokens, webhooks
from api.forms import TokenForm, WebhookForm
from api.models import ApiToken, WebhookDelivery, WebhookSubscription
from qa import roles
from reports.views import may_read_reports


def may_integrate(user) -> bool:
    """Who has events to hear and endpoints worth documenting: those who read evaluations or reports. Not
    mystery shoppers, whose pages never show a score (the API refuses them everything)."""
    return user.is_authenticated and (user.has_perm(roles.VIEW_EVALUATION) or may_read_reports(user))


class IntegrationAccess(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_integrate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def visible_tokens(user):
    """Your own tokens; an administrator also sees those of service accounts."""
    mine = ApiToken.objects.filter(owner=user)
    if roles.has_role(user, roles.ADMINISTRATOR):
        mine = ApiToken.objects.filter(owner=user) | ApiToken.objects.filter(owner__service_account__isnull=False)
    return mine.select_related("owner").order_by("-created_at", "-pk")


class TokenListView(IntegrationAccess, View):
    template_name = "api/tokens.html"

    def page(self, request, form, created=None, status=200):
        return render(request, self.template_name, {
            "form": form, "tokens": visible_tokens(request.user)[:200], "created": created, "now": timezone.now(),
        }, status=status)

    def get(self, request):
        return self.page(request, TokenForm(user=request.user))

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        account = form.cleaned_data.get("owner")
        expires = timezone.make_aware(datetime.combine(form.cleaned_data["expires_on"], time.min))
        token, text = tokens.create(owner=account.user if account else request.user, name=form.cleaned_data["name"],
                                    access=form.cleaned_data["access"], expires_at=expires, created_by=request.user)
        messages.success(request, _("Token “%(name)s” created. Copy it now: it is not shown again.") % {
            "name": token.name})
        return self.page(request, TokenForm(user=request.user), created={"token": token, "text": text})


class TokenRevokeView(IntegrationAccess, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(visible_tokens(request.user), pk=pk)
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Token “%(name)s” not revoked: tick “Yes, stop it working” first.") % {
                "name": token.name})
            return redirect("api:tokens")
        tokens.revoke(token)
        messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
        return redirect("api:tokens")


class WebhookListView(IntegrationAccess, View):
    template_name = "api/webhooks.html"

    def page(self, request, form, created=None, status=200):
        return render(request, self.template_name, {
            "form": form, "created": created, "labels": dict(events.choices()),
            "subscriptions": WebhookSubscription.objects.filter(owner=request.user),
        }, status=status)

    def get(self, request):
        return self.page(request, WebhookForm())

    def post(self, request):
        form = WebhookForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        subscription = form.save(commit=False)
        subscription.owner, subscription.secret = request.user, webhooks.new_secret()
        subscription.save()
        messages.success(request, _("Webhook added. Copy its signing secret now: it is not shown again."))
        return self.page(request, WebhookForm(), created=subscription)


class WebhookDetailView(IntegrationAccess, View):
    template_name = "api/webhook_detail.html"

    def get(self, request, pk):
        subscription = get_object_or_404(WebhookSubscription, pk=pk, owner=request.user)
        from django.core.paginator import Paginator

        deliveries = Paginator(subscription.deliveries.prefetch_related("tries"), 25).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"subscription": subscription, "page_obj": deliveries,
                                                    "labels": dict(events.choices())})

    def post(self, request, pk):
        subscription = get_object_or_404(WebhookSubscription, pk=pk, owner=request.user)
        action = request.POST.get("action")
        if action == "delete" and request.POST.get("confirm") != "yes":
            messages.error(request, _("Not removed: tick “Yes, remove it and its deliveries” first."))
            return redirect(subscription)
        if action == "delete":
            subscription.delete()
            messages.success(request, _("Webhook removed."))
            return redirect("api:webhooks")
        subscription.active = action == "resume"
        subscription.save(update_fields=["active"])
        messages.success(request, _("Webhook resumed.") if subscription.active else _("Webhook paused: nothing is "
                                                                                     "sent until you resume it."))
        return redirect(subscription)


class DeliveryResendView(IntegrationAccess, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        delivery = get_object_or_404(WebhookDelivery.objects.select_related("subscription__owner"), pk=pk,
                                     subscription__owner=request.user)
        if not delivery.subscription.active:
            messages.error(request, _("Not sent: this webhook is paused. Resume it first, then send again."))
        elif webhooks.body_for(delivery) is None:
            messages.error(request, _("Not sent: you can no longer see what this delivery is about."))
        else:
            webhooks.resend(delivery)
            messages.success(request, _("Sending again now; the result appears below."))
        return redirect(delivery.subscription)
