"""The pool's entries in the access matrix (tests/test_access_matrix.py), one module per area
(tests/pool/matrix_<area>.py, each with `objects(world) -> dict` and `entries(o, expect, expect_scoped)`
returning (url name, method, url, data, status per persona))."""

from tests.pool import matrix_board, matrix_conversation, matrix_pay, matrix_qualifications, matrix_ratings

AREAS = (matrix_board, matrix_qualifications, matrix_ratings, matrix_conversation, matrix_pay)


def objects(world) -> dict:
    o = {}
    for area in AREAS:
        o.update(area.objects(world))
    return o


def entries(o, expect, expect_scoped) -> list:
    return [entry for area in AREAS for entry in area.entries(o, expect, expect_scoped)]
