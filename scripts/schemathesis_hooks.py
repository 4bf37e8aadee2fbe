"""schemathesis hooks for the runs of scripts/contract-checks.sh.

In the GET run (positive_data_acceptance, IOM_LRG_GET_RUN set):
A cursor is an opaque value the server signs (docs/API.md, "Paging"): any other string is
refused with 400 invalid-cursor by design, which positive_data_acceptance would report for
every random value the schema allows. The GET run leaves `cursor` out; the main run still sends
random cursors (and expects them refused), and tests/api/paging.rs follows real ones.


Both runs leave out `wait` (a long poll of the change feed holds its answer up to 60 s when
nothing is written, by design; tests/api/push.rs covers it) so that every answer stays under
--max-response-time.
"""

import os

import schemathesis

LEFT_OUT = {"wait"} | ({"cursor"} if os.environ.get("IOM_LRG_GET_RUN") else set())


@schemathesis.hook
def map_query(ctx, query):
    if query and LEFT_OUT & set(query):
        return {name: value for name, value in query.items() if name not in LEFT_OUT}
    return query
