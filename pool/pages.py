"""The pool's page classes: who may open a page, by one rule of pool.access each, written once for every view
module (signed out: to the sign-in page; signed in without the right: 403)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from pool import access


class RulePage(LoginRequiredMixin):
    """A page for those `rule(user)` lets in."""

    rule = None  # a function of pool.access, set by each subclass

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).rule(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ShopperPage(LoginRequiredMixin):
    """A shopper's own page: `self.shopper` is the signed-in user's active shopper record."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.shopper = access.shopper_of(request.user)
        if self.shopper is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PlannerPage(RulePage):
    rule = staticmethod(access.may_plan)


class PoolRunnerPage(RulePage):
    rule = staticmethod(access.may_run_pool)


class DocumentCheckerPage(RulePage):
    rule = staticmethod(access.may_check_documents)


class PayerPage(RulePage):
    rule = staticmethod(access.may_pay)
