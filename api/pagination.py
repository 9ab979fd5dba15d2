"""Cursor pagination for every list: stable while rows are added (an integration reading page after page
never sees a row twice or misses one), and cheap on large tables (no OFFSET). A page_size that is not a
whole number from 1 written in the digits 0-9 is refused with a 400 naming it (it was silently replaced by
the default); one over the largest is cut to it, as documented."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None or value == "":
            return self.page_size
        digits = value.lstrip("0")
        if not (value.isascii() and value.isdigit()) or not digits:
            raise exceptions.ValidationError({self.page_size_query_param: [_(
                "Enter a whole number from 1 to %(max)s, in the digits 0-9.") % {"max": self.max_page_size}]})
        return min(int(digits[:6]) if len(digits) <= 6 else self.max_page_size, self.max_page_size)
