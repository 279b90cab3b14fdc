// The Widgetry pages driven in headless Chromium, as people use them: an integrator, a
// platform moderator and the admin of another account, each in their own browser context.
//
// Run by `cargo test -p widgetry-server --test suite -- browser::` (tests/browser.rs starts
// the server, creates the users and the widget archives, and passes them in):
//   WIDGETRY_BASE_URL     http://127.0.0.1:<port>
//   WIDGETRY_FILES_URL    the files origin, http://127.0.0.1:<another port>
//   WIDGETRY_USERS        {"integrator": {"email", "password", "account"}, "moderator": ..., "shop": ...}
//   WIDGETRY_ZIPS         {"broken": path, "good": path, "update": path}
//   WIDGETRY_SCREENSHOTS  folder for one PNG per key page
//   WIDGETRY_CHROMIUM     the browser (default /usr/bin/chromium)
//
// The flow is a list of steps, in the order people meet the pages: the integrator signs in,
// creates an integration, uploads a broken widget (reads its findings) and a good one (sees it
// in the own catalogue, not in another account's), submits it; the moderator reads the queue,
// the submission, its files, and approves; the other account installs it with its settings
// (a required field refused first); an update is submitted, its diff read and rejected.
//
// A step whose pages are still being built can name them in `pending` instead of a `run`:
// it is skipped (said so in the output) and its `fallback(w)`, if any, does the same work
// another way (the JSON API through `w.<role>.request`) so that later steps have their data.
//
// Locators are roles and labels (what a user and a screen reader see); no sleeps: every wait
// is on a locator, a navigation or a response. Every key page is screenshotted and checked
// with axe-core (WCAG 2.1 A and AA; a serious or critical violation fails the flow), and one
// user signs in with the keyboard alone.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** axe-core, injected into each key page to check it for accessibility (WCAG 2.1 A and AA). */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const BASE = need("WIDGETRY_BASE_URL");
const FILES = need("WIDGETRY_FILES_URL");
const USERS = JSON.parse(need("WIDGETRY_USERS"));
const ZIPS = JSON.parse(need("WIDGETRY_ZIPS"));
const SHOTS = need("WIDGETRY_SCREENSHOTS");
const CHROMIUM = process.env.WIDGETRY_CHROMIUM || "/usr/bin/chromium";
/** Longest wait for one locator or navigation. */
const TIMEOUT_MS = 15_000;
/** The whole flow must end by then (a hung browser fails the test instead of blocking it). */
const FLOW_LIMIT_MS = 180_000;

function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`${name} is not set; run this through \`cargo test -p widgetry-server --test suite -- browser::\``);
    process.exit(2);
  }
  return v;
}

class Failure extends Error {}

function check(condition, what) {
  if (!condition) throw new Failure(what);
}

/** Waits until the locator is visible and returns its text. */
async function see(locator, what) {
  try {
    await locator.first().waitFor({ state: "visible" });
  } catch (e) {
    throw new Failure(`${what}: not shown (${e.message.split("\n")[0]})`);
  }
  return (await locator.first().innerText()).trim();
}

/**
 * Checks that the locator's text contains every fragment; waits until an element with the
 * first fragment shows (a page replaced by script shows its old text for a moment).
 */
async function seeText(locator, fragments, what) {
  const text = await see(fragments.length ? locator.filter({ hasText: fragments[0] }) : locator, what);
  for (const f of fragments) check(text.includes(f), `${what}: expected "${f}" in "${text}"`);
  return text;
}

let shotNumber = 0;
/** Script errors and console errors (such as refused resources) seen on any page. */
const pageErrors = [];
/** Saves a screenshot of a key page and checks the page with axe-core. */
async function screenshot(page, name) {
  shotNumber += 1;
  const file = join(SHOTS, `${String(shotNumber).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (!name.startsWith("failure-")) await accessible(page, name);
}

/**
 * Runs axe-core on the page: any serious or critical WCAG 2.1 A/AA violation (a control
 * without a name, a missing label, too little contrast, ...) fails the flow, naming the rule
 * and the elements.
 */
async function accessible(page, name) {
  check(pageErrors.length === 0, `${name}: errors in the browser:\n  ${pageErrors.join("\n  ")}`);
  // Evaluated through the DevTools protocol: the page's CSP rightly refuses inline scripts.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  check(violations.length === 0, `${name}: accessibility violations:\n  ${violations.join("\n  ")}`);
}

/**
 * Clicks a form's submit button and waits until the browser shows the answer: a page at a
 * URL matching `landing` (the refused form shown again at the post's URL, or where a 303
 * led). Returns the status of the post itself (303 when it succeeded).
 */
async function submitForm(page, button, postPath, landing) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === postPath),
    page.waitForURL(landing, { waitUntil: "domcontentloaded" }),
    button.click(),
  ]);
  return response.status();
}

// ---------------------------------------------------------------------------------------
// Steps shared by every role

async function signIn(page, user) {
  await page.goto(`${BASE}/login`);
  await see(page.getByRole("heading", { name: "Sign in", level: 1 }), "the sign-in page");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

const SUBMISSION_FIELDS = {
  languages: ["en", "ru"],
  description: {
    en: "Shows deal notes in lead cards. Support: +7 495 215-37-84, help@vendor-widgets.ru",
    ru: "Показывает заметки в карточке сделки. Поддержка: +7 495 215-37-84, help@vendor-widgets.ru",
  },
  instructions: {
    en: "Install the widget, enter the API key from your vendor-widgets.ru profile, open a lead.",
    ru: "Установите виджет, введите API-ключ из профиля vendor-widgets.ru и откройте сделку.",
  },
  test_credentials: "demo login: moderator@vendor-widgets.ru / password: Xq7-demo-9931",
  support_phone: "+7 495 215-37-84",
  support_email: "help@vendor-widgets.ru",
};

// ---------------------------------------------------------------------------------------
// The integrator

async function integratorSignsIn(w) {
  await signIn(w.integrator, USERS.integrator);
}

/**
 * The keyboard alone is enough: the first Tab stop is the skip link, which moves focus to the
 * content; the sign-in form is filled and sent with Tab and Enter. (The shop's admin signs in
 * this way; the next step reuses the session.)
 */
async function shopSignsInByKeyboard(w) {
  const page = w.shop;
  await page.goto(`${BASE}/login`);
  await see(page.getByRole("heading", { name: "Sign in", level: 1 }), "the sign-in page");
  // The e-mail field has the focus at once; Tab leads through the form, Enter sends it.
  check(await page.evaluate(() => document.activeElement?.id === "email"), "the e-mail field has the focus");
  await page.keyboard.type(USERS.shop.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USERS.shop.password);
  if (USERS.shop.account) {
    await page.keyboard.press("Tab");
    await page.keyboard.type(USERS.shop.account);
  }
  await Promise.all([page.waitForURL((url) => url.pathname !== "/login"), page.keyboard.press("Enter")]);
  await see(page.getByRole("button", { name: "Sign out" }), "signed in by keyboard");
  // On the next page the first Tab stop is the skip link, which moves to the content.
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  check(first === "Skip to content", `the first Tab stop is the skip link, not "${first}"`);
  await page.keyboard.press("Enter");
  check(await page.evaluate(() => document.activeElement?.id === "main"), "the skip link moves the focus to the content");
}

async function createIntegration(w) {
  const page = w.integrator;
  await page.goto(`${BASE}/integrations`);
  await see(page.getByRole("heading", { name: "Integrations", level: 1 }), "the integrations list");
  await page.getByRole("link", { name: "Create an integration" }).click();
  await see(page.getByRole("heading", { name: "New integration", level: 1 }), "the new integration form");
  await page.getByLabel("Name (English)").fill("Deal Notes");
  await page.getByLabel("Name (Russian)").fill("Заметки сделки");
  await page.getByLabel("Description (English)").fill("Notes in lead cards");
  await page.getByLabel("Redirect URI").fill("https://vendor-widgets.ru/oauth");
  // The answer is the integration's page with the secret key, shown this once.
  await page.getByRole("button", { name: "Create integration" }).click();
  await see(page.getByRole("heading", { name: "Deal Notes", level: 1 }), "the integration page");
  const secret = await seeText(page.getByRole("region", { name: "Secret key: shown only now" }), [], "the secret key");
  check(/[0-9a-f]{64}/.test(secret), `no secret key shown: ${secret}`);
  const edit = await page.getByRole("link", { name: "Edit texts" }).getAttribute("href");
  w.integrationId = Number(edit.split("/")[2]);
  await screenshot(page, "integration-created");
}

/** Uploads an archive from the integration page's form (progress by script); returns the
 * status of the upload's answer. */
async function upload(w, zip) {
  const page = w.integrator;
  if (new URL(page.url()).pathname !== `/integrations/${w.integrationId}`) {
    await page.goto(`${BASE}/integrations/${w.integrationId}`);
  }
  await page.getByLabel("Package (widget.zip)").setInputFiles(zip);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/integrations/${w.integrationId}/upload`)),
    page.getByRole("button", { name: "Upload", exact: true }).click(),
  ]);
  return response.status();
}

async function uploadBroken(w) {
  const page = w.integrator;
  const status = await upload(w, ZIPS.broken);
  check(status === 400 || status === 422, `a broken widget answered ${status}`);
  const report = page.getByRole("region", { name: "The upload was refused" });
  await seeText(report, ["manifest.missing", "How to fix:"], "the refusal report");
  await see(report.getByRole("heading", { level: 4 }), "the report's file groups");
  await see(report.getByLabel("Source lines"), "a finding's source lines");
  await seeText(page.getByRole("main"), ["nothing was stored"], "the refusal's summary");
  await screenshot(page, "upload-refused");
}

async function uploadGood(w) {
  const page = w.integrator;
  await upload(w, ZIPS.good);
  await seeText(page.getByRole("status"), ["Version 1 (1.0.0) uploaded"], "the upload notice");
  await seeText(page.getByRole("row").filter({ hasText: "1.0.0" }), ["uploaded"], "version 1 in the versions");
  w.code = (await page.locator("#integration-code").innerText()).trim();
  check(w.code.startsWith("deal_notes"), `the widget code is ${w.code}`);
  await screenshot(page, "upload-accepted");
}

/** Fills and sends the submission form for a version; the Russian description is left out
 * first for a refusal shown beside the field. */
async function submitVersion(w, number, refuseFirst) {
  const page = w.integrator;
  await page.goto(`${BASE}/integrations/${w.integrationId}`);
  await page.getByRole("group", { name: "Actions" }).getByRole("link", { name: "Submit for moderation" }).click();
  await see(page.getByRole("heading", { name: "Submit Deal Notes for moderation", level: 1 }), "the submission form");
  const form = page.locator("#submit-form");
  const fill = async (skipRussian) => {
    await form.getByLabel("Version").selectOption(String(number));
    await form.getByLabel("English (en)", { exact: true }).check();
    await form.getByLabel("Russian (ru)", { exact: true }).check();
    await form.getByLabel("Description (English (en))").fill(SUBMISSION_FIELDS.description.en);
    await form.getByLabel("Description (Russian (ru))").fill(skipRussian ? "" : SUBMISSION_FIELDS.description.ru);
    await form.getByLabel("Instructions (English (en))").fill(SUBMISSION_FIELDS.instructions.en);
    await form.getByLabel("Instructions (Russian (ru))").fill(SUBMISSION_FIELDS.instructions.ru);
    await form.getByLabel("Test credentials").fill(SUBMISSION_FIELDS.test_credentials);
    await form.getByLabel("Support phone").fill(SUBMISSION_FIELDS.support_phone);
    await form.getByLabel("Support e-mail").fill(SUBMISSION_FIELDS.support_email);
  };
  const path = `/integrations/${w.integrationId}/submit`;
  if (refuseFirst) {
    await fill(true);
    const status = await submitForm(page, form.getByRole("button", { name: "Submit for moderation" }), path, new RegExp(`${path}$`));
    check(status === 400 || status === 422, `a submission without the Russian description answered ${status}`);
    const ru = page.locator("#submit-form").getByLabel("Description (Russian (ru))");
    check((await ru.getAttribute("aria-invalid")) === "true", "the empty Russian description is marked invalid");
    await see(page.getByRole("region", { name: "Findings" }), "the submission's findings");
    await screenshot(page, "submission-refused");
  }
  await fill(false);
  const status = await submitForm(
    page,
    page.locator("#submit-form").getByRole("button", { name: "Submit for moderation" }),
    path,
    new RegExp(`/integrations/${w.integrationId}(\\?.*)?$`),
  );
  check(status === 303, `submitting answered ${status}, not 303`);
  await seeText(page.getByRole("status"), ["Submitted for moderation."], "the submission notice");
  // The row whose version cell starts with the version number (other cells hold times).
  const row = page
    .locator("#submissions")
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: new RegExp(`^${number}: `) }) });
  await seeText(row, ["in review"], "the submission in the list");
  w.submissionId = Number((await row.getByRole("rowheader").innerText()).replace("#", ""));
}

async function submitFirst(w) {
  await submitVersion(w, 1, true);
  await screenshot(w.integrator, "submitted");
}

async function uploadAndSubmitUpdate(w) {
  await upload(w, ZIPS.update);
  await seeText(w.integrator.getByRole("status"), ["Version 2 (1.0.1) uploaded"], "the update's upload notice");
  await submitVersion(w, 2, false);
}

async function integratorReadsReasons(w) {
  const page = w.integrator;
  await page.goto(`${BASE}/integrations/${w.integrationId}`);
  const row = page
    .locator("#submissions")
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: /^2: 1\.0\.1$/ }) });
  await seeText(row, ["rejected", "moderation.not_working", "The notes list stays empty in the test account.", "Please check init."], "the moderator's reasons");
  await seeText(page.locator("#versions").getByRole("row").filter({ hasText: "1.0.0" }), ["published"], "version 1 published");
  await screenshot(page, "reasons");
}

/** Someone who is not a moderator is told the console is not for them. */
async function nonModeratorIsRefused(w) {
  const page = w.integrator;
  const r = await page.goto(`${BASE}/moderation`);
  check(r.status() === 403, `a non-moderator's /moderation answered ${r.status()}, not 403`);
  await see(page.getByRole("heading", { name: "For moderators only" }), "the 403 page");
  await seeText(page.getByRole("main"), ["platform moderators"], "the 403 page");
  check(
    (await page.getByRole("link", { name: "Moderation" }).count()) === 0,
    "the navigation offers Moderation to a non-moderator",
  );
  await screenshot(page, "moderation-forbidden");
}

// ---------------------------------------------------------------------------------------
// The account's catalogue and installation (pages from branch i5-wa)

/** The catalogue's tile of the widget (its heading link). */
function tile(page) {
  return page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Deal Notes" }) });
}

async function ownCatalogueOnly(w) {
  const page = w.integrator;
  await page.goto(`${BASE}/catalog`);
  await see(page.getByRole("heading", { name: "Catalogue", level: 1 }), "the integrator's catalogue");
  await seeText(tile(page), ["private", "version 1.0.0"], "the own widget in the catalogue");
  await screenshot(page, "catalogue-own");

  const shop = w.shop; // signed in with the keyboard earlier
  await shop.goto(`${BASE}/catalog`);
  await see(shop.getByRole("heading", { name: "Catalogue", level: 1 }), "shop's catalogue");
  check((await shop.getByRole("link", { name: "Deal Notes" }).count()) === 0, "shop sees vendor's private widget");
  const r = await shop.goto(`${BASE}/catalog/${w.code}`);
  check(r.status() === 404, `shop opening vendor's private widget: ${r.status()}, not 404`);
  await screenshot(shop, "catalogue-other-account");
}

async function shopInstalls(w) {
  const page = w.shop;
  await page.goto(`${BASE}/catalog`);
  await seeText(tile(page), ["public", "not installed"], "the published widget in shop's catalogue");
  await page.getByRole("link", { name: "Deal Notes" }).click();
  await see(page.getByRole("heading", { name: "Deal Notes", level: 1 }), "the widget page");
  await page.getByRole("button", { name: "Install" }).click();
  await see(page.getByRole("heading", { name: "Install Deal Notes", level: 1 }), "the settings form");
  const form = page.locator("#settings-form");
  await seeText(form, ["Fields marked * are required."], "the required-fields note");
  const apiKey = form.getByLabel("API key");
  check((await apiKey.getAttribute("required")) !== null, "the API key is marked required");

  // Sent empty: refused, the error beside the field.
  const path = `/catalog/${w.code}/install`;
  const refused = await submitForm(page, form.getByRole("button", { name: "Install" }), path, new RegExp(`${path}$`));
  check(refused === 422, `installing without the API key answered ${refused}, not 422`);
  await seeText(page.getByRole("alert"), ["The settings were not saved"], "the form's problem");
  const field = page.locator("#settings-form").getByLabel("API key");
  check((await field.getAttribute("aria-invalid")) === "true", "the API key is marked invalid");
  const describedBy = (await field.getAttribute("aria-describedby")) || "";
  const error = page.locator(`#${describedBy.split(" ").find((id) => id.endsWith("-error"))}`);
  await seeText(error, ["A value is required."], "the error beside the API key");
  await screenshot(page, "install-required-error");

  await field.fill("shop-key-123");
  const installed = await submitForm(
    page,
    page.locator("#settings-form").getByRole("button", { name: "Install" }),
    path,
    /notice=installed/,
  );
  check(installed === 303, `installing answered ${installed}, not 303`);
  await seeText(page.getByRole("status"), ["The widget is installed."], "the installed notice");
  await see(page.getByRole("button", { name: "Settings" }), "the reconfigure button");
  await screenshot(page, "installed");
}

// ---------------------------------------------------------------------------------------
// Widget files are untrusted: the package carries extra/evil.html and extra/evil.svg, whose
// scripts try to create an API token with every scope in the viewer's name (reading the CSRF
// token from /api/v1/me on the pages' origin). Opened by an account admin on the files
// origin, they must act for no one.

/** The names of the tokens of the page's user, through the pages' own API with its session. */
async function tokenNames(page) {
  const r = await page.request.get(`${BASE}/api/v1/tokens`);
  check(r.status() === 200, `listing tokens answered ${r.status()}`);
  return (await r.json()).tokens.map((t) => t.name);
}

/**
 * Opens each hostile document of the version at `base` in a new tab of `page`'s context, as a
 * user following a link would: the files origin sends it as a sandboxed attachment, so the
 * browser downloads it instead of running it; and no token appears for the user.
 */
async function hostileDocumentsActForNoOne(page, base, who) {
  check(base.startsWith(`${FILES}/`), `${who}'s files URL ${base} is not on the files origin ${FILES}`);
  const before = await tokenNames(page);
  for (const file of ["extra/evil.html", "extra/evil.svg"]) {
    const tab = await page.context().newPage();
    const response = await page.request.get(`${base}/${file}`);
    check(response.status() === 200, `${who}: ${file} answered ${response.status()}`);
    const headers = response.headers();
    check(headers["content-disposition"] === "attachment", `${who}: ${file} is not sent as an attachment`);
    check((headers["content-security-policy"] || "").includes("sandbox"), `${who}: ${file} is not sandboxed`);
    const [download] = await Promise.all([
      tab.waitForEvent("download"),
      tab.goto(`${base}/${file}`).catch(() => null),
    ]);
    check(download.url() === `${base}/${file}`, `${who}: the download of ${file} is ${download.url()}`);
    await download.cancel().catch(() => {});
    await tab.close();
  }
  // Give a script that did run the time to finish its two requests.
  await page.waitForTimeout(500);
  const after = await tokenNames(page);
  check(!after.includes("pwned"), `${who}: a widget document created a token in the viewer's name`);
  check(after.length === before.length, `${who}: tokens changed from [${before}] to [${after}]`);
}

async function ownerOpensHostileDocuments(w) {
  const page = w.integrator;
  const r = await page.request.get(`${BASE}/api/v1/integrations/${w.integrationId}/versions/1`);
  check(r.status() === 200, `the version view answered ${r.status()}`);
  const base = (await r.json()).files_base_url;
  check(/\/~\d+\.[0-9a-f]+$/.test(base), `the owner's files URL of a private version is not signed: ${base}`);
  await hostileDocumentsActForNoOne(page, base, "the owner's admin");
}

async function otherAccountOpensHostileDocuments(w) {
  const page = w.shop;
  const r = await page.request.get(`${BASE}/api/v4/widgets/${w.code}`);
  check(r.status() === 200, `the widget view answered ${r.status()}`);
  const base = (await r.json()).files_base_url;
  check(base === `${FILES}/${w.code}/1.0.0`, `shop's files URL of the published version is ${base}`);
  await hostileDocumentsActForNoOne(page, base, "another account's admin");
}

/**
 * The pages' content security policy lets the files origin provide images (logos), never
 * scripts: a script element pointing there is refused. Checked on a page of its own, so the
 * refusal it provokes is not taken for an error of the flow.
 */
async function pagesRefuseFilesOriginScripts(w) {
  const page = await w.shop.context().newPage();
  await page.goto(`${BASE}/catalog/${w.code}`);
  const logo = page.locator(`img[src^="${FILES}/"]`).first();
  await logo.waitFor({ state: "attached" });
  check(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), "the logo from the files origin is shown");
  const outcome = await page.evaluate(
    (src) =>
      new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(`refused by ${e.violatedDirective}`), { once: true });
        const script = document.createElement("script");
        script.src = src;
        script.onload = () => resolve("loaded");
        document.head.appendChild(script);
        setTimeout(() => resolve("no answer"), 5000);
      }),
    `${FILES}/${w.code}/1.0.0/script.js`,
  );
  check(outcome.startsWith("refused by script-src"), `a script from the files origin was not refused: ${outcome}`);
  await page.close();
}

// ---------------------------------------------------------------------------------------
// The moderator

async function moderatorSignsIn(w) {
  await signIn(w.moderator, USERS.moderator);
}

/** Opens the queue from the navigation and returns the submission's row. */
async function openQueue(page) {
  await page.goto(`${BASE}/moderation`);
  await see(page.getByRole("heading", { name: "Moderation", level: 1 }), "the moderation queue");
  const current = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Moderation" });
  check((await current.getAttribute("aria-current")) === "page", "the navigation marks Moderation as current");
  return page.getByRole("row").filter({ hasText: "Deal Notes" });
}

async function moderatorReadsTheQueue(w) {
  const page = w.moderator;
  const row = await openQueue(page);
  await seeText(row, ["deal_notes", "vendor", "version 1 (1.0.0)", "en, ru", "less than a day"], "the queue row");
  await see(page.getByRole("columnheader", { name: "Waiting" }), "the Waiting column");
  await screenshot(page, "moderation-queue");

  // The same queue in Russian, through the language switch, and back.
  await page.getByRole("link", { name: "Русский" }).click();
  await see(page.getByRole("heading", { name: "Модерация", level: 1 }), "the queue in Russian");
  await seeText(page.getByRole("row").filter({ hasText: "deal_notes" }), ["Заметки сделки", "версия 1 (1.0.0)", "меньше суток"], "the Russian queue row");
  await screenshot(page, "moderation-queue-ru");
  await page.getByRole("link", { name: "English" }).click();
  await see(page.getByRole("heading", { name: "Moderation", level: 1 }), "the queue in English again");
}

async function moderatorReadsTheSubmission(w) {
  const page = w.moderator;
  await page.getByRole("row").filter({ hasText: "Deal Notes" }).getByRole("link", { name: "Deal Notes" }).click();
  await see(page.getByRole("heading", { name: `Submission ${w.submissionId}: Deal Notes`, level: 1 }), "the submission page");
  await see(page.getByRole("heading", { name: "Automated checks", level: 2 }), "the report");
  const fields = page.getByRole("region", { name: "What the integrator submitted" });
  await seeText(fields, ["+7 495 215-37-84", "help@vendor-widgets.ru", "Shows deal notes", "Показывает заметки"], "the submitted texts");
  const secret = page.getByRole("region", { name: "Test data — for moderators only" });
  await seeText(secret, ["Xq7-demo-9931"], "the test data box");
  const files = page.getByRole("region", { name: "Files", exact: true });
  await seeText(files.getByRole("row").filter({ hasText: "script.js" }), ["added"], "script.js in the files");
  await seeText(page.getByRole("region", { name: "Changes since the published version" }), ["Nothing is published yet"], "the diff section");
  await screenshot(page, "moderation-submission");
}

async function moderatorOpensFiles(w) {
  const page = w.moderator;
  const files = page.getByRole("region", { name: "Files", exact: true });
  await files.getByRole("link", { name: "script.js", exact: true }).click();
  await see(page.getByRole("heading", { name: "File script.js", level: 1 }), "the file viewer");
  await seeText(page.getByLabel("Contents of script.js"), ["define(["], "the script's lines");
  await screenshot(page, "moderation-file");

  // The raw bytes never render as a page of the site.
  const raw = await page.request.get(`${BASE}/moderation/${w.submissionId}/raw/script.js`);
  check(raw.status() === 200, `raw script.js: ${raw.status()}`);
  check(raw.headers()["content-type"] === "text/plain; charset=utf-8", `raw script.js type ${raw.headers()["content-type"]}`);
  check(raw.headers()["content-security-policy"] === "sandbox; default-src 'none'", "raw files carry a sandboxing CSP");
  check(raw.headers()["x-content-type-options"] === "nosniff", "raw files carry nosniff");

  // An image is shown inline, loaded through the raw route.
  await page.goto(`${BASE}/moderation/${w.submissionId}/files/images/logo.png`);
  const img = page.getByRole("img", { name: "The image images/logo.png from the package" });
  await see(img, "the logo in the viewer");
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  await page.getByRole("link", { name: `Back to submission ${w.submissionId}` }).click();
}

async function moderatorApproves(w) {
  const page = w.moderator;
  await see(page.getByRole("heading", { name: "Decision", level: 2 }), "the decision section");
  // A reason without a text is refused beside the field.
  const reject = page.getByRole("form", { name: "Reject" });
  const first = reject.getByRole("group", { name: "Reason 1" });
  await first.getByLabel("Code").selectOption("moderation.unclear_instructions");
  const status = await submitForm(
    page,
    reject.getByRole("button", { name: "Reject" }),
    `/moderation/${w.submissionId}/reject`,
    /\/reject#reject-title$/,
  );
  check(status === 400, `a reason without a text answered ${status}, not 400`);
  const text = page.getByRole("form", { name: "Reject" }).getByRole("group", { name: "Reason 1" }).getByLabel("What to fix");
  check((await text.getAttribute("aria-invalid")) === "true", "the empty text is marked invalid");
  await seeText(page.getByRole("form", { name: "Reject" }), ["Say what the integrator should fix."], "the missing-text error");
  await see(page.getByRole("alert"), "the page's problem message");
  await screenshot(page, "moderation-reject-error");

  const approve = page.getByRole("form", { name: "Approve and publish" });
  await approve.getByLabel("Note for the integrator (optional)").fill("Clear instructions, thanks.");
  const approved = await submitForm(
    page,
    approve.getByRole("button", { name: "Approve and publish" }),
    `/moderation/${w.submissionId}/approve`,
    /notice=approved(#.*)?$/,
  );
  check(approved === 303, `approving answered ${approved}, not 303`);
  await seeText(page.getByRole("status"), ["Approved: the version is published."], "the approval notice");
  await seeText(page.getByRole("region", { name: "Summary" }), ["approved", "Clear instructions, thanks."], "the decision");
  check((await page.getByRole("form", { name: "Approve and publish" }).count()) === 0, "a decided submission has no forms");
  await screenshot(page, "moderation-approved");

  await page.goto(`${BASE}/moderation?view=decided`);
  await seeText(page.getByRole("row").filter({ hasText: "Deal Notes" }), ["approved"], "the history");
  await page.goto(`${BASE}/moderation`);
  await see(page.getByText("No submissions are waiting for review."), "the empty queue");
}

async function moderatorReadsTheDiffAndRejects(w) {
  const page = w.moderator;
  const row = await openQueue(page);
  await seeText(row, ["version 2 (1.0.1)"], "the update in the queue");
  await row.getByRole("link", { name: "Deal Notes" }).click();
  const diff = page.getByRole("region", { name: "Changes since the published version" });
  await seeText(diff, ["Compared with version 1 (1.0.0)"], "the diff's base");
  const script = diff.getByRole("region", { name: /script\.js/ });
  await seeText(script, ["changed", "lines added: 2, removed: 1"], "script.js's diff summary");
  const added = script.getByRole("insertion").filter({ hasText: "self.notes = [];" });
  await seeText(added, ["+        self.notes = [];"], "an added line, its + kept");
  const removed = script.getByRole("deletion").filter({ hasText: "prepare data" });
  await seeText(removed, ["-      // Called right after render: prepare data"], "a removed line, its - kept");
  await seeText(page.getByRole("region", { name: "Files", exact: true }).getByRole("row").filter({ hasText: "manifest.json" }), ["changed"], "manifest.json in the files");
  await screenshot(page, "moderation-diff");

  const reject = page.getByRole("form", { name: "Reject" });
  await reject.getByRole("group", { name: "Reason 1" }).getByLabel("Code").selectOption("moderation.not_working");
  await reject.getByRole("group", { name: "Reason 1" }).getByLabel("What to fix").fill("The notes list stays empty in the test account.");
  await reject.getByLabel("Note for the integrator (optional)").fill("Please check init.");
  const status = await submitForm(
    page,
    reject.getByRole("button", { name: "Reject" }),
    `/moderation/${w.submissionId}/reject`,
    /notice=rejected(#.*)?$/,
  );
  check(status === 303, `rejecting answered ${status}, not 303`);
  await seeText(page.getByRole("status"), ["Rejected"], "the rejection notice");
  await seeText(page.getByRole("region", { name: "Summary" }), ["moderation.not_working", "The notes list stays empty"], "the reasons");
  await screenshot(page, "moderation-rejected");
}

// ---------------------------------------------------------------------------------------
// The flow

/** One browser context (own cookies) per person. */
const ROLES = ["integrator", "moderator", "shop"];

const STEPS = [
  { name: "integrator signs in", run: integratorSignsIn },
  { name: "shop's admin signs in with the keyboard alone", run: shopSignsInByKeyboard },
  { name: "a non-moderator is refused the console", run: nonModeratorIsRefused },
  { name: "integrator creates an integration and sees its secret key once", run: createIntegration },
  { name: "integrator uploads a broken widget and reads its findings", run: uploadBroken },
  { name: "integrator uploads a good widget", run: uploadGood },
  { name: "its documents, opened by the owner's admin, act for no one", run: ownerOpensHostileDocuments },
  { name: "the widget is in the own catalogue, not in shop's", run: ownCatalogueOnly },
  { name: "integrator submits it (a missing text refused first)", run: submitFirst },
  { name: "moderator signs in", run: moderatorSignsIn },
  { name: "moderator reads the queue", run: moderatorReadsTheQueue },
  { name: "moderator reads the submission", run: moderatorReadsTheSubmission },
  { name: "moderator opens its files", run: moderatorOpensFiles },
  { name: "moderator approves (after a refused rejection)", run: moderatorApproves },
  { name: "shop installs it with settings, a required field refused first", run: shopInstalls },
  { name: "published, they act for another account's admin no more", run: otherAccountOpensHostileDocuments },
  { name: "the pages refuse a script from the files origin", run: pagesRefuseFilesOriginScripts },
  { name: "integrator uploads and submits an update", run: uploadAndSubmitUpdate },
  { name: "moderator reads the diff and rejects the update", run: moderatorReadsTheDiffAndRejects },
  { name: "integrator reads the moderator's reasons", run: integratorReadsReasons },
];

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  const watchdog = setTimeout(() => {
    console.error(`the flow did not end within ${FLOW_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, FLOW_LIMIT_MS);
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox"],
  });
  const w = {};
  let failed = false;
  try {
    for (const role of ROLES) {
      const context = await browser.newContext({ locale: "en-US", viewport: { width: 1200, height: 900 }, acceptDownloads: true });
      context.setDefaultTimeout(TIMEOUT_MS);
      context.setDefaultNavigationTimeout(TIMEOUT_MS);
      w[role] = await context.newPage();
      // A script error or a refused resource (content security policy) on any page fails
      // the flow at the next key page.
      w[role].on("pageerror", (e) => pageErrors.push(`${role}: ${e.message}`));
      w[role].on("console", (m) => {
        // Pages answered with an error status on purpose (403, 404, 422) are logged too.
        if (m.type() === "error" && !m.text().startsWith("Failed to load resource: the server responded with a status of")) {
          pageErrors.push(`${role}: ${m.text()}`);
        }
      });
    }
    for (const step of STEPS) {
      const t0 = Date.now();
      if (step.pending) {
        if (step.fallback) await step.fallback(w);
        console.log(`skip  ${step.name}: pending ${step.pending}${step.fallback ? " (done through the API)" : ""}`);
        continue;
      }
      try {
        await step.run(w);
      } catch (e) {
        console.log(`FAIL  ${step.name}`);
        for (const role of ROLES) {
          const page = w[role];
          if (page.url().startsWith(BASE)) await screenshot(page, `failure-${role}`).catch(() => {});
        }
        throw e;
      }
      console.log(`ok    ${step.name} (${Date.now() - t0} ms)`);
    }
  } catch (e) {
    failed = true;
    console.error(e instanceof Failure ? `failed: ${e.message}` : e);
  } finally {
    await browser.close();
    clearTimeout(watchdog);
  }
  console.log(`${failed ? "failed" : "passed"} in ${Date.now() - started} ms; screenshots in ${SHOTS}`);
  process.exit(failed ? 1 : 0);
}

main();
