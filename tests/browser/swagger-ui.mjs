// Opens /docs/ in a real browser (Debian's Chromium, no network beyond 127.0.0.1), checks that
// every tag and operation of the OpenAPI document is shown, runs "Try it out" on
// GET /v1/programmes and sees a 200 with data, then authorises with an admin key and, still
// through "Try it out", creates a programme (201), patches it with If-Match (200) and deletes
// it (204), checking each outcome through the API; saves a screenshot.
// Usage: node swagger-ui.mjs BASE_URL SCREENSHOT_PATH ADMIN_KEY
import { chromium } from "playwright-core";

const [baseUrl, screenshot, adminKey] = process.argv.slice(2);
if (!baseUrl || !screenshot || !adminKey) throw new Error("usage: swagger-ui.mjs BASE_URL SCREENSHOT_PATH ADMIN_KEY");
const fail = (message) => {
  throw new Error(`swagger ui check failed: ${message}`);
};

const spec = await (await fetch(`${baseUrl}/openapi.json`)).json();
const tags = spec.tags.map((t) => t.name);
// Swagger UI shows the webhooks (deliveries the service makes) as operations too.
const countOperations = (items) => Object.values(items ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
const operations = countOperations(spec.paths) + countOperations(spec.webhooks);
if (countOperations(spec.webhooks) === 0) fail("the document declares no webhook");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${baseUrl}/docs/`, { waitUntil: "networkidle", timeout: 30000 });
  await page.waitForSelector(".opblock", { timeout: 30000 });

  const shownTags = await page.$$eval(".opblock-tag", (els) => els.map((e) => e.getAttribute("data-tag")));
  for (const tag of tags) if (!shownTags.includes(tag)) fail(`tag ${tag} is not shown (shown: ${shownTags})`);
  const shownOperations = await page.$$eval(".opblock", (els) => els.length);
  if (shownOperations !== operations) fail(`${shownOperations} operations shown, the document has ${operations}`);

  const block = page.locator("#operations-Programmes-list_programmes");
  await block.locator(".opblock-summary").click();
  await block.locator("button.try-out__btn").click();
  await block.locator("button.execute").click();
  const status = block.locator(".live-responses-table tbody .response-col_status").first();
  await status.waitFor({ timeout: 30000 });
  const code = (await status.innerText()).trim();
  if (code !== "200") fail(`Try it out on GET /v1/programmes answered ${code}`);
  const body = await block.locator(".live-responses-table .microlight").first().innerText();
  if (!body.includes("santiago-mexico-city-partnership")) fail("the response body lacks the programme");
  await page.screenshot({ path: screenshot, fullPage: false });

  // Authorise with the key, as a person would: the Authorize dialog.
  await page.locator("button.authorize").first().click();
  const dialog = page.locator(".modal-ux");
  await dialog.locator("input").first().fill(adminKey);
  await dialog.locator("button.authorize").click();
  await dialog.locator("button.btn-done, button.close-modal").first().click();

  // Runs "Try it out" on one operation with these parameters and body; answers the status.
  const tryOut = async (operation, params, body) => {
    const op = page.locator(`#operations-Programmes-${operation}`);
    await op.locator(".opblock-summary").click();
    await op.locator("button.try-out__btn").click();
    for (const [name, value] of Object.entries(params)) {
      await op.locator(`tr[data-param-name="${name}"] input`).fill(value);
    }
    if (body !== undefined) await op.locator("textarea.body-param__text").fill(JSON.stringify(body));
    await op.locator("button.execute").click();
    const cell = op.locator(".live-responses-table tbody .response-col_status").first();
    await cell.waitFor({ timeout: 30000 });
    const answer = (await cell.innerText()).trim();
    await op.locator(".opblock-summary").click(); // fold it again
    return answer;
  };
  const id = "swagger-ui-try-it-out";
  const etagOf = async () => (await fetch(`${baseUrl}/v1/programmes/${id}`)).headers.get("etag");
  const created = await tryOut("create_programme", {}, { id, title: { en: "Written from Swagger UI" } });
  if (created !== "201") fail(`Try it out on POST /v1/programmes answered ${created}`);
  const read = await (await fetch(`${baseUrl}/v1/programmes/${id}`)).json();
  if (read.title !== "Written from Swagger UI") fail(`the created programme reads ${JSON.stringify(read)}`);
  const patched = await tryOut("update_programme", { id, "If-Match": await etagOf() }, { status: "closed" });
  if (patched !== "200") fail(`Try it out on PATCH answered ${patched}`);
  const after = await (await fetch(`${baseUrl}/v1/programmes/${id}`)).json();
  if (after.status !== "closed" || after.version !== 2) fail(`the patch did not apply: ${JSON.stringify(after)}`);
  const deleted = await tryOut("delete_programme", { id, "If-Match": await etagOf() });
  if (deleted !== "204") fail(`Try it out on DELETE answered ${deleted}`);
  const gone = await fetch(`${baseUrl}/v1/programmes/${id}`);
  if (gone.status !== 410) fail(`the deleted programme answers ${gone.status}`);
  const blocking = errors.filter((e) => /Content Security Policy|Refused to/.test(e));
  if (blocking.length) fail(`the browser refused resources: ${blocking.join("; ")}`);
  console.log(`swagger ui: ${shownTags.length} tags, ${shownOperations} operations, Try it out: GET 200, POST 201, PATCH 200, DELETE 204; screenshot ${screenshot}`);
} finally {
  await browser.close();
}
