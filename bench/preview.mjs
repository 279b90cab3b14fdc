// Times the widget preview in headless Chromium for bench/preview.sh: per area, from opening
// the preview page (what "run preview" does) until the widget's `render` callback was called
// (the first rendered location) and until the area's lifecycle was over (`done`), ROUNDS times
// after one cold run; prints the cold run, the median and the 90th percentile.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(ROOT, "crates/server/tests/browser/package.json"));
const { chromium } = require("playwright-core");

const BASE = process.env.WIDGETRY_BASE_URL;
const ROUNDS = Number(process.env.ROUNDS || 10);
const CODE = process.env.WIDGETRY_CODE;
const VERSION = process.env.WIDGETRY_VERSION;

const signIn = await fetch(BASE + "/api/v1/session", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: process.env.WIDGETRY_EMAIL, password: process.env.WIDGETRY_PASSWORD }),
});
if (!signIn.ok) throw new Error("signing in: " + signIn.status);
const [name, value] = signIn.headers.get("set-cookie").split(";")[0].split(/=(.*)/s);

const browser = await chromium.launch({
  executablePath: process.env.WIDGETRY_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox"],
});
const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
await context.addCookies([{ name, value, url: BASE }]);
const page = await context.newPage();

/** One run of an area: [ms until render was called, ms until done, events]. */
async function run(area) {
  const started = performance.now();
  await page.goto(`${BASE}/preview/${CODE}/${VERSION}?area=${area}`);
  await page.waitForSelector("#preview-log li.preview-event-callback", { timeout: 30000 });
  const rendered = performance.now() - started;
  await page.waitForSelector("#preview-log li.preview-event-done", { timeout: 30000 });
  const done = performance.now() - started;
  const events = await page.$$eval("#preview-log li", (items) => items.length);
  // The screenshot the host drew before `done` (its own timing, inside the frame).
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const shot = await frame.evaluate(() =>
    (window.__sandbox.events.find((e) => e.kind === "screenshot") || { data: {} }).data);
  return [rendered, done, events, shot];
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
  return { median: at(0.5), p90: at(0.9) };
}

// The areas the page offers, from its tabs.
await page.goto(`${BASE}/preview/${CODE}/${VERSION}`);
const areas = await page.$$eval("nav.tabs a[href*='area=']", (links) =>
  [...new Set(links.map((a) => new URL(a.href).searchParams.get("area")))]);

const [coldRender, coldDone] = await run(areas[0]);
console.log(`cold first run (${areas[0]}): render called after ${coldRender.toFixed(0)} ms, done after ${coldDone.toFixed(0)} ms`);
console.log("| area | events | render called: median | p90 | lifecycle done: median | p90 | screenshot drawn: median | size |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const area of areas) {
  const rendered = [];
  const done = [];
  const drawn = [];
  let events = 0;
  let size = "none";
  for (let i = 0; i < ROUNDS; i++) {
    const [r, d, e, shot] = await run(area);
    rendered.push(r);
    done.push(d);
    events = e;
    if (shot.ms !== undefined) {
      drawn.push(shot.ms);
      size = `${shot.width}x${shot.height}, ${(shot.bytes / 1024).toFixed(0)} KiB`;
    }
  }
  const r = stats(rendered);
  const d = stats(done);
  const s = drawn.length ? `${stats(drawn).median.toFixed(0)} ms` : "none";
  console.log(`| ${area} | ${events} | ${r.median.toFixed(0)} ms | ${r.p90.toFixed(0)} ms | ${d.median.toFixed(0)} ms | ${d.p90.toFixed(0)} ms | ${s} | ${size} |`);
}
await browser.close();
