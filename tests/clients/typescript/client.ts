// Drives the API through a client generated from openapi/openapi.json, as a partner app would:
// list and page with the cursor, read in French, create, patch with If-Match, hit a 412 and a
// 422, delete, and read the change feed. Usage: node dist/client.js BASE_URL ADMIN_KEY
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

const [baseUrl, key] = process.argv.slice(2);
if (!baseUrl || !key) throw new Error("usage: client.js BASE_URL ADMIN_KEY");
const api = createClient<paths>({ baseUrl });
const auth = { Authorization: `Bearer ${key}` };

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`client check failed: ${message}`);
}

// List and page with the cursor.
const seen: string[] = [];
let cursor: string | undefined;
do {
  const page = await api.GET("/v1/migration-domains", { params: { query: { limit: 3, count: true, cursor } } });
  // Lists answer JSON or CSV (Accept: text/csv); without Accept it is JSON.
  check(page.data && typeof page.data !== "string", `list: ${page.response.status}`);
  seen.push(...page.data.data.map((d) => d.id));
  check(page.data.meta.total === 4, "meta.total is 4");
  cursor = page.data.meta.next_cursor ?? undefined;
} while (cursor);
check(seen.join(",") === "migration-and-development,facilitating-migration,regulating-migration,forced-migration", `paged: ${seen}`);

// Full-text search in French, stemmed and accent-insensitive; and a list as CSV.
const found = await api.GET("/v1/search", { params: { query: { q: "travail decent", lang: "fr" } } });
check(found.data?.data[0]?.id === "santiago-mexico-city-partnership", `search: ${found.response.status}`);
check(found.data?.ranked_by === "relevance", `search is ranked: ${found.data?.ranked_by}`);
check(found.data?.data[0]?.snippet.includes("<mark>"), "the snippet marks the words found");
const csv = await api.GET("/v1/programmes", { headers: { Accept: "text/csv" }, parseAs: "text" });
check(typeof csv.data === "string" && csv.data.startsWith("id,"), `CSV list: ${csv.response.status}`);

// Read in French.
const iom = await api.GET("/v1/institution", { params: { header: { "Accept-Language": "fr" } } });
check(iom.data?.acronym === "OIM", "institution in French");
check(iom.response.headers.get("content-language") === "fr", "Content-Language: fr");

// Create, then patch with the ETag of what was created.
const id = `client-check-${Date.now()}`;
const created = await api.POST("/v1/programmes", {
  params: { header: {} },
  headers: auth,
  body: { id, title: { en: "Client check", fr: "Vérification du client" }, recipient_countries: ["CL"] },
});
check(created.response.status === 201 && created.data?.id === id, `create: ${created.response.status}`);
const etag = created.response.headers.get("etag");
check(etag, "ETag on create");
const patched = await api.PATCH("/v1/programmes/{id}", {
  params: { path: { id }, header: { "If-Match": etag } },
  headers: { ...auth, "Content-Type": "application/merge-patch+json" },
  body: { status: "implementation" },
});
check(patched.response.status === 200 && patched.data?.version === 2, `patch: ${patched.response.status}`);

// The same ETag again is stale: 412, as a problem document.
const stale = await api.PATCH("/v1/programmes/{id}", {
  params: { path: { id }, header: { "If-Match": etag } },
  headers: { ...auth, "Content-Type": "application/merge-patch+json" },
  body: { status: "closed" },
});
check(stale.response.status === 412 && stale.error?.type === "/problems/precondition-failed", `stale: ${stale.response.status}`);

// A broken body: 422 listing every broken member. The cast is deliberate: the generated types
// refuse "ZZ" (CountryCode is an enumeration), the server must refuse it too.
const invalid = await api.POST("/v1/programmes", {
  params: { header: {} },
  headers: auth,
  body: { title: "", recipient_countries: ["ZZ"] } as never,
});
check(invalid.response.status === 422, `invalid: ${invalid.response.status}`);
check(invalid.error?.errors?.map((e) => e.field).join(",") === "/title,/recipient_countries/0", "422 fields");

// Delete, then the feed shows all three changes.
const deleted = await api.DELETE("/v1/programmes/{id}", { params: { path: { id }, header: {} }, headers: auth });
check(deleted.response.status === 204, `delete: ${deleted.response.status}`);
const feed = await api.GET("/v1/changes", { params: { query: { since: 0, limit: 1000 } } });
// The feed answers JSON or, with Accept: text/event-stream, a stream; without Accept it is JSON.
check(feed.data && typeof feed.data !== "string", "feed");
const actions = feed.data.data.filter((c) => c.id === id).map((c) => c.action);
check(actions.join(",") === "created,updated,deleted", `feed: ${actions}`);
check(feed.data.meta.last_seq >= feed.data.meta.next_since, "last_seq");
console.log("typescript client: 9 checks passed");
