"""Who may call what: a token of any kind reads; only a read-and-write token changes anything; and each
action needs the owner's model permission (qa.roles), named on the view as `required = {action: perm}`.
Which rows the owner reaches is each view's queryset, from qa.scoping."""

from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.models import ApiToken


class TokenAccess(BasePermission):
    message = _("Your role does not allow this.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated and isinstance(request.auth, ApiToken)):
            return False
        if request.method not in SAFE_METHODS and not request.auth.writes:
            self.message = _("This token is read-only: make a read-and-write token to change anything.")
            return False
        action = getattr(view, "action", None) or request.method.lower()
        if not allows(request.user, getattr(view, "required", {}), action):
            self.message = _("Your role does not allow this.")
            return False
        return True


def allows(user, required: dict, action: str) -> bool:
    """Whether `user` holds what `required` (a view's {action: permission or test}) asks for `action`."""
    needed = required.get(action, required.get("*"))
    if needed is None:
        return True
    needed = needed if isinstance(needed, (list, tuple)) else [needed]
    return (all(user.has_perm(perm) for perm in needed if isinstance(perm, str))
            and all(perm(user) for perm in needed if callable(perm)))
