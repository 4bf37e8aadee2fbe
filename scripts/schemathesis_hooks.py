"""schemathesis hooks for the runs of scripts/contract-checks.sh.

In the GET run (positive_data_acceptance, IOM_LRG_GET_RUN set):
A cursor is an opaque value the server signs (docs/API.md, "Paging"): any other string is
refused with 400 invalid-cursor by design, which positive_data_acceptance would report for
every random value the schema allows. The GET run drops every case that sends one; the main run still sends
random cursors (and expects them refused), and tests/api/paging.rs follows real ones.


Both runs drop every case that sends `wait` (a long poll of the change feed holds its answer up to 60 s when
nothing is written, by design; tests/api/push.rs covers it) so that every answer stays under
--max-response-time.
"""

import os

import schemathesis

LEFT_OUT = {"wait"} | ({"cursor"} if os.environ.get("IOM_LRG_GET_RUN") else set())


# A case that names a left-out parameter is dropped, never edited: removing the parameter from a
# negative case whose only invalid part it was would turn that case into a valid request, which
# the service rightly answers with 200 and negative_data_rejection then reports as accepted.
# Likewise a negative case whose invalid query value does not reach the wire (None, an empty
# object or array: the client sends no such parameter at all, and every query parameter here is
# optional) is a valid request on the wire; schemathesis 4.32 still reports some of those (CI saw
# `limit` as {} beside `id` as a boolean, both gone from the URL, answered 200). They are dropped.
# As a case hook it applies in every phase (coverage included, which runs no query hooks).
@schemathesis.hook
def filter_case(ctx, case):
    query = case.query or {}
    if LEFT_OUT & set(query):
        return False
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    return not (negative and any(vanishes(value) for value in query.values()))


def vanishes(value):
    return value is None or (isinstance(value, (dict, list)) and len(value) == 0)
