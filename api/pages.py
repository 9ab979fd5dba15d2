"""Pages where people manage their API tokens and webhooks (in the menu under their name, and on their
account page), for those with endpoints to call and events to hear (may_integrate: not mystery shoppers,
whom every endpoint refuses; they get the 403 page, and neither page is in their menu).

A token's text is shown once and never stored: only its hash is. A webhook's secret likewise is shown once.
Post, redirect, get: the form's answer keeps the text in the session for one display (`keep_once`) and redirects
to a page that takes it out (`take_once`), so refreshing that page never posts the form again (a second token),
and says instead that the text can no longer be shown."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
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


SHOWN_ONCE = "api-shown-once"


def keep_once(request, kind: str, pk: int, value) -> None:
    """Keep what is to be shown once (a token's text; for a webhook, that its secret may be shown) for the next
    display of that object's page."""
    request.session[f"{SHOWN_ONCE}:{kind}"] = {"pk": pk, "value": value}


def take_once(request, kind: str, pk: int):
    """What keep_once kept for this object, taken out of the session (None when it was already shown)."""
    key = f"{SHOWN_ONCE}:{kind}"
    kept = request.session.get(key)
    if not kept or kept.get("pk") != pk:
        return None
    del request.session[key]
    return kept["value"]


def visible_tokens(user):
    """Your own tokens; an administrator also sees those of service accounts."""
    mine = ApiToken.objects.filter(owner=user)
    if roles.has_role(user, roles.ADMINISTRATOR):
        mine = ApiToken.objects.filter(owner=user) | ApiToken.objects.filter(owner__service_account__isnull=False)
    return mine.select_related("owner").order_by("-created_at", "-pk")


class TokenListView(IntegrationAccess, View):
    template_name = "api/tokens.html"

    def page(self, request, form, created=None, status=200):
        response = render(request, self.template_name, {
            "form": form, "tokens": visible_tokens(request.user)[:200], "created": created, "now": timezone.now(),
        }, status=status)
        if created:
            add_never_cache_headers(response)  # not from the browser's cache either, once left
        return response

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
        keep_once(request, "token", token.pk, text)
        return redirect("api:token-created", token.pk)


class TokenCreatedView(TokenListView):
    """The new token's text, once; afterwards (a refresh, the back button) the tokens page says it is gone."""

    http_method_names = ["get"]

    def get(self, request, pk):
        token = get_object_or_404(visible_tokens(request.user), pk=pk)
        text = take_once(request, "token", token.pk)
        if text is None:
            messages.warning(request, _("The token “%(name)s” can no longer be shown: it is shown once, when it is "
                                        "made, and kept only as a hash. If you did not copy it, revoke it and create "
                                        "a new one.") % {"name": token.name})
            return redirect("api:tokens")
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
        response = render(request, self.template_name, {
            "form": form, "created": created, "labels": dict(events.choices()),
            "subscriptions": WebhookSubscription.objects.filter(owner=request.user),
        }, status=status)
        if created:
            add_never_cache_headers(response)
        return response

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
        keep_once(request, "webhook", subscription.pk, True)  # the secret itself stays in the database (signing)
        return redirect("api:webhook-created", subscription.pk)


class WebhookCreatedView(WebhookListView):
    """The new webhook's signing secret, once; afterwards the webhooks page says it is gone."""

    http_method_names = ["get"]

    def get(self, request, pk):
        subscription = get_object_or_404(WebhookSubscription, pk=pk, owner=request.user)
        if not take_once(request, "webhook", subscription.pk):
            messages.warning(request, _("The signing secret of the webhook to %(url)s can no longer be shown: it is "
                                        "shown once, when the webhook is added. If you did not copy it, remove the "
                                        "webhook and add it again.") % {"url": subscription.url})
            return redirect("api:webhooks")
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
