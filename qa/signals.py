"""Keep role caches honest, record every change to a user's roles or regions, and remove a
recording's file once no recording names it any more."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import Signal, receiver
from simple_history.models import HistoricalRecords

from qa import rollups
from qa.models import Evaluation, Recording, RoleChange, User

# Sent (sender=Evaluation, evaluation=...) when a reviewer's evaluation of an interaction is submitted and
# released, inside its transaction: autoqa keeps what the reviewer did with the automatic answers.
review_submitted = Signal()
# Sent (sender=InteractionImport, job=...) once an import's interactions are revealed:
# post_save saw them while they were still hidden, so apps that act on new interactions act now.
interactions_imported = Signal()


# Sent once an evaluation is released and the release is committed (qa.services.submit/release), with
# `evaluation`: apps above qa (plans) react to releases without qa importing them.
evaluation_released = Signal()


def announce_release(evaluation):
    """Tell listeners after the commit, so they read the stored scores and a listener's failure never
    undoes a release (send_robust logs and goes on)."""
    pk = evaluation.pk

    def send():
        from qa.models import Evaluation
        released = Evaluation.objects.filter(pk=pk).first()
        if released is not None:
            for _receiver, result in evaluation_released.send_robust(sender=Evaluation, evaluation=released):
                if isinstance(result, Exception):
                    import logging
                    logging.getLogger("qa.signals").error("evaluation_released listener failed", exc_info=result)

    transaction.on_commit(send)


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


@receiver(pre_delete, sender=Evaluation)
def take_evaluation_out_of_rollups(sender, instance, **kwargs):
    """A deleted evaluation no longer counts: its part of the report roll-ups goes with it."""
    rollups.deleting(instance)
