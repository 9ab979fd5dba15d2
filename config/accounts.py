"""Password change and password reset, throttled (django-ratelimit).

Without a limit, twenty wrong old passwords and then the right one changed a password (a
stolen session's way to a stolen account), and fifteen reset requests sent fifteen e-mails
to one inbox. Counts live in the default cache, per account for changes and per e-mail
address typed and per client address (config.proxies) for resets. A throttled request is
answered 429 with the form and a message saying when to try again; the old password is
not checked and no e-mail is sent. Reset e-mails link to SITE_URL, not to the Host header.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from config.proxies import ratelimit_key


def email_key(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


def throttled(request, group: str, key, rate: str) -> int | None:
    """Count this request; when over the limit, the seconds until the window ends."""
    usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
    if usage and usage["should_limit"]:
        return max(usage["time_left"], 1)
    return None


def wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return _("Too many attempts. For your safety this is paused; try again in %(minutes)s minutes.") % {
        "minutes": minutes}


class ThrottledFormMixin:
    def throttle(self, request) -> int | None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        seconds = self.throttle(request)
        if seconds is None:
            return super().post(request, *args, **kwargs)
        # An unbound form keeps what may be shown again (the e-mail address), never a password.
        form = self.get_form_class()(**self.unbound_form_kwargs(request))
        context = self.get_context_data(form=form, throttled_message=wait_message(seconds))
        return self.render_to_response(context, status=429)


class PasswordChangeView(ThrottledFormMixin, auth_views.PasswordChangeView):
    def throttle(self, request):
        return throttled(request, "password-change", "user", settings.PASSWORD_CHANGE_RATE)

    def unbound_form_kwargs(self, request):
        return {"user": request.user}


class PasswordResetView(ThrottledFormMixin, auth_views.PasswordResetView):
    def form_valid(self, form):
        """Django's own view builds the link from the request's Host and scheme; this one from SITE_URL."""
        site = urlsplit(settings.SITE_URL)
        form.save(domain_override=site.netloc, use_https=site.scheme == "https", request=self.request,
                  token_generator=self.token_generator, from_email=self.from_email,
                  email_template_name=self.email_template_name, subject_template_name=self.subject_template_name,
                  html_email_template_name=self.html_email_template_name,
                  extra_email_context=self.extra_email_context)
        return super(auth_views.PasswordResetView, self).form_valid(form)  # the redirect, without a second save

    def throttle(self, request):
        # Both counts advance on every request, so neither can be reset by varying the other.
        by_email = throttled(request, "password-reset-email", email_key, settings.PASSWORD_RESET_RATE)
        by_address = throttled(request, "password-reset-address", ratelimit_key, settings.PASSWORD_RESET_ADDRESS_RATE)
        return max(filter(None, [by_email, by_address]), default=None)

    def unbound_form_kwargs(self, request):
        return {"initial": {"email": request.POST.get("email", "")}}
