"""Keep per-request role caches honest when group membership changes."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from qa.models import User


@receiver(m2m_changed, sender=User.groups.through)
def forget_cached_roles(sender, instance, **kwargs):
    if isinstance(instance, User) and hasattr(instance, "_role_cache"):
        del instance._role_cache
