"""schemathesis hooks for the GET run of scripts/contract-checks.sh (positive_data_acceptance).

A cursor is an opaque value the server signs (docs/API.md, "Paging"): any other string is
refused with 400 invalid-cursor by design, which positive_data_acceptance would report for
every random value the schema allows. The GET run leaves `cursor` out; the main run still sends
random cursors (and expects them refused), and tests/api/paging.rs follows real ones.
"""

import schemathesis


@schemathesis.hook
def map_query(ctx, query):
    if query and "cursor" in query:
        return {name: value for name, value in query.items() if name != "cursor"}
    return query
