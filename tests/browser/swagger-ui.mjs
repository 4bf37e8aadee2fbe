// Opens /docs/ in a real browser (Debian's Chromium, no network beyond 127.0.0.1), checks that
// every tag and operation of the OpenAPI document is shown, runs "Try it out" on
// GET /v1/programmes and sees a 200 with data, and saves a screenshot.
// Usage: node swagger-ui.mjs BASE_URL SCREENSHOT_PATH
import { chromium } from "playwright-core";

const [baseUrl, screenshot] = process.argv.slice(2);
if (!baseUrl || !screenshot) throw new Error("usage: swagger-ui.mjs BASE_URL SCREENSHOT_PATH");
const fail = (message) => {
  throw new Error(`swagger ui check failed: ${message}`);
};

const spec = await (await fetch(`${baseUrl}/openapi.json`)).json();
const tags = spec.tags.map((t) => t.name);
const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);

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
  const blocking = errors.filter((e) => /Content Security Policy|Refused to/.test(e));
  if (blocking.length) fail(`the browser refused resources: ${blocking.join("; ")}`);
  console.log(`swagger ui: ${shownTags.length} tags, ${shownOperations} operations, Try it out 200; screenshot ${screenshot}`);
} finally {
  await browser.close();
}
