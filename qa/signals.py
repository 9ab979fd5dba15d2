"""Keep role caches honest, record every change to a user's roles or regions, and remove a
recording's file once no recording names it any more."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from qa.models import Recording, RoleChange, User


def acting_user():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _names(user, what):
    if what == "roles":
        return sorted(user.groups.values_list("name", flat=True))
    return sorted(user.regions.values_list("name", flat=True))


def _record(instance, action, what):
    """One RoleChange per change, even when `.set()` sends a removal and then an addition:
    the first state seen on this user object is the "old", the latest is the "new"."""
    if action.startswith("pre_"):
        instance._roles_before = getattr(instance, "_roles_before", {})
        instance._roles_before.setdefault(what, _names(instance, what))
        return
    if not action.startswith("post_"):
        return
    old = instance._roles_before.get(what, [])
    new = _names(instance, what)
    pending = getattr(instance, "_role_change", {})
    change = pending.get(what)
    if change is None:
        if old != new:
            pending[what] = RoleChange.objects.create(user=instance, by=acting_user(), what=what, old=old, new=new)
    elif old == new:
        change.delete()
        del pending[what]
    else:
        change.new = new
        change.save(update_fields=["new"])
    instance._role_change = pending


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(sender, instance, action, reverse, **kwargs):
    if isinstance(instance, User) and not reverse:
        if hasattr(instance, "_role_cache"):
            del instance._role_cache
        _record(instance, action, "roles")


@receiver(m2m_changed, sender=User.regions.through)
def regions_changed(sender, instance, action, reverse, **kwargs):
    if isinstance(instance, User) and not reverse:
        _record(instance, action, "regions")


@receiver(post_delete, sender=Recording)
def _release_recording_file(sender, instance, **kwargs):
    """Recordings share files by content: however the row went (its interaction deleted, a
    replacement, retention, the admin), the file goes only when this was its last recording,
    and only once the deletion is committed."""
    from qa.recordings import release_file

    name = instance.file.name
    transaction.on_commit(lambda: release_file(name))
