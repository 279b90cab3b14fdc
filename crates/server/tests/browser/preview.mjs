// The widget preview in headless Chromium: opens each case's URL with the test's session
// cookie, waits until the host says the widget's lifecycle is over (`window.__sandbox.done`
// in the frame), and prints what happened as one JSON object per line for the Rust test
// (tests/preview.rs) to assert on: the host's events, the area's markup, and for the preview
// page its event log and the frame's sandbox attribute.
//
//   WIDGETRY_BASE_URL       http://127.0.0.1:<port>
//   WIDGETRY_COOKIE         name=value of the session cookie
//   WIDGETRY_PREVIEW_CASES  [{"name", "url", "page": bool, "cookie": "name=value" (another
//                           user's session), "save": bool (press the page's "save this run"
//                           and return the submission page's saved runs), "saveAll": bool
//                           (the same with "run every area and save")}]
//   WIDGETRY_SCREENSHOTS    folder for one PNG per case
//   WIDGETRY_CHROMIUM       the browser (default /usr/bin/chromium)

import { chromium } from "playwright-core";
import { join } from "node:path";

const BASE = process.env.WIDGETRY_BASE_URL;
const [cookieName, cookieValue] = process.env.WIDGETRY_COOKIE.split(/=(.*)/s);
const CASES = JSON.parse(process.env.WIDGETRY_PREVIEW_CASES);
const SHOTS = process.env.WIDGETRY_SCREENSHOTS;
const TIMEOUT_MS = 30000;

/** A browser context signed in with `cookie` (`name=value`). */
async function signedIn(cookie) {
  const [name, value] = cookie.split(/=(.*)/s);
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addCookies([{ name, value, url: BASE }]);
  return context;
}

const browser = await chromium.launch({
  executablePath: process.env.WIDGETRY_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox"],
});
try {
  const context = await signedIn(`${cookieName}=${cookieValue}`);
  for (const c of CASES) {
    const page = await (c.cookie ? await signedIn(c.cookie) : context).newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.goto(BASE + c.url, { timeout: TIMEOUT_MS });
    let frame = page.mainFrame();
    let sandbox = null;
    if (c.page) {
      const element = await page.waitForSelector("iframe.preview-frame", { timeout: TIMEOUT_MS });
      sandbox = await element.getAttribute("sandbox");
      frame = await element.contentFrame();
    }
    await frame.waitForFunction(() => window.__sandbox && window.__sandbox.done, null, { timeout: TIMEOUT_MS });
    const result = await frame.evaluate(() => ({
      events: window.__sandbox.events,
      html: document.getElementById("page").innerHTML,
      origin: String(window.origin),
    }));
    if (c.page) {
      await page.waitForSelector("#preview-log li.preview-event-done", { timeout: TIMEOUT_MS });
      result.log = await page.$$eval("#preview-log li", (items) => items.map((i) => i.textContent));
      result.sandbox = sandbox;
    }
    if (c.save || c.saveAll) {
      const button = page.locator(c.saveAll ? "#preview-save-all" : "#preview-save button[type=submit]");
      await button.waitFor({ state: "visible", timeout: TIMEOUT_MS });
      await page.waitForFunction((all) => {
        const b = document.querySelector(all ? "#preview-save-all" : "#preview-save button[type=submit]");
        return b && !b.disabled;
      }, c.saveAll, { timeout: TIMEOUT_MS });
      if (c.saveAll) {
        // Every area in turn: wait for the submission page, or for the page to say it stopped.
        // Scrolled first: clicked while the page still scrolls, the click lands in the frame.
        await button.scrollIntoViewIfNeeded();
        await button.click();
        const stopped = page.waitForFunction(() => {
          const status = document.getElementById("preview-save-all-status");
          return status && status.textContent.startsWith(status.getAttribute("data-failed"));
        }, null, { timeout: TIMEOUT_MS * 6 }).then(async () => {
          result.status = await page.evaluate(() => document.getElementById("preview-save-all-status").textContent);
        }, () => new Promise(() => {})); // gone with the page when it moves on
        await Promise.race([page.waitForURL(/\/moderation\/\d+/, { timeout: TIMEOUT_MS * 6 }), stopped])
          .catch((e) => { result.error = String(e); });
        if (result.status || result.error) result.log = await page.$$eval("#preview-log li", (items) => items.map((i) => i.textContent));
      } else {
        await Promise.all([page.waitForURL(/\/moderation\/\d+/, { timeout: TIMEOUT_MS }), button.click()]);
      }
      if (!result.status && !result.error) result.saved = await page.locator("#preview-runs").locator("xpath=..").innerText();
    }
    result.name = c.name;
    result.page_errors = pageErrors;
    await page.screenshot({ path: join(SHOTS, c.name + ".png"), fullPage: true });
    console.log(JSON.stringify(result));
    await page.close();
  }
} finally {
  await browser.close();
}
