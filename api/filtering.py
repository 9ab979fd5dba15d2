"""The filter backend of every list: django-filter's, except that a query parameter the list does not know
(a misspelt or made-up filter, such as overdue=maybe's cousin "overdew") is refused with a 400 naming it,
instead of being ignored and answering everything."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

PAGING = {"cursor", "page_size"}


def refuse_unknown(params, known) -> None:
    unknown = [name for name in params if name not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or _("none")
        raise exceptions.ValidationError({name: [_("This list has no such filter. It takes: %(names)s.") % {
            "names": listed}] for name in unknown})


class KnownFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) == "list":
            filterset = self.get_filterset(request, queryset, view)
            known = set(filterset.filters) if filterset is not None else set()
            refuse_unknown(request.query_params, known | PAGING | set(getattr(view, "query_params", ())))
        return super().filter_queryset(request, queryset, view)
