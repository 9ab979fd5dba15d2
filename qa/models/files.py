"""Where private uploads live: evidence, recordings, imports and export files are
never given a public URL; views that check access stream them."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used and again after the setting changes
    (a FileField keeps whatever its storage callable returned when the model loaded)."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


PRIVATE_STORAGE = PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        PRIVATE_STORAGE._wrapped = empty


def private_storage():
    """Uploads live outside any public URL; views that check access stream them."""
    return PRIVATE_STORAGE
