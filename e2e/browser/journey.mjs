// The seed 004 journey in a real browser: Debian's chromium, driven by
// playwright-core, against `federa demo` and the upload app it serves.
// e2e/browser_test.go starts the server and runs this script; by hand:
//
//   APP_URL=http://localhost:3000/ FEDERA_ENDPOINT=http://127.0.0.1:4566 \
//   FEDERA_BIN=./federa node e2e/browser/journey.mjs
//
// It signs up through the hosted UI, confirms with the code from the
// outbox, signs in (implicit flow), uploads, lists and downloads a file,
// sees the denial for another identity's folder, signs out, and signs in
// again with the authorization code flow and PKCE. A screenshot of every
// page goes to $FEDERA_ARTIFACTS (default e2e/browser/artifacts). It prints
// one JSON line of step timings and exits non-zero on the first failure.

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const env = (name, def) => {
  const v = process.env[name] || def;
  if (!v) throw new Error(`set ${name}`);
  return v;
};
const appURL = env("APP_URL", "http://localhost:3000/");
const endpoint = env("FEDERA_ENDPOINT", "http://127.0.0.1:4566");
const federaBin = env("FEDERA_BIN", "federa");
const artifacts = env("FEDERA_ARTIFACTS", join(here, "artifacts"));
const browserPath = env("CHROMIUM", "/usr/bin/chromium");
// Generous: a cold chromium and argon2id password hashing on a small CI
// machine; a step that works takes well under a second.
const timeout = Number(env("STEP_TIMEOUT_MS", "30000"));

class JourneyError extends Error {}
function expect(cond, message) {
  if (!cond) throw new JourneyError(message);
}

const steps = [];
let shot = 0;
let page;

/** Runs one named step, timing it and saving a screenshot of where it ends. */
async function step(name, fn) {
  const start = performance.now();
  process.stderr.write(`journey: ${name}\n`);
  const result = await fn();
  steps.push({ step: name, ms: Math.round(performance.now() - start) });
  shot++;
  await page.screenshot({ path: join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true });
  return result;
}

/** Waits until the app has settled in state (data-state on <body>). */
async function appState(state) {
  await page.waitForURL((u) => u.href.startsWith(new URL(appURL).origin), { timeout });
  await page.waitForSelector(`body[data-state]`, { timeout });
  const got = await page.getAttribute("body", "data-state");
  if (got !== state) {
    const status = await page.textContent("#status");
    throw new JourneyError(`the app settled as ${got}, want ${state}; it says: ${status}`);
  }
}

/** The newest sign-up code sent to username, read with `federa outbox --json`. */
async function signUpCode(poolId, username) {
  for (let i = 0; i < 50; i++) {
    const { stdout } = await promisify(execFile)(federaBin, ["outbox", "--pool", poolId, "--json", "--endpoint", endpoint], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_SESSION_TOKEN: "" },
    });
    const mine = (JSON.parse(stdout) || []).filter((m) => m.Username === username);
    const m = mine.length && /\b(\d{6})\b/.exec(mine[mine.length - 1].Body);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new JourneyError(`no code for ${username} in the outbox of ${poolId}`);
}

/** Fills the hosted UI's sign-in form and submits it. */
async function signInForm(username, password) {
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}

async function journey(cfg) {
  const authOrigin = new URL(cfg.authBase).origin;
  const username = `journey-${Date.now().toString(36)}`;
  const password = `Journey-${Math.random().toString(36).slice(2, 10)}-9!`;
  const content = `hello from the browser journey, ${new Date().toISOString()}\n`;

  await step("app-signed-out", async () => {
    await page.goto(appURL);
    await appState("signed-out");
    expect(await page.isVisible("#sign-in"), "no Sign in button");
    expect(await page.isVisible("#sign-in-pkce"), "no code + PKCE button");
  });

  await step("forged-redirect-refused", async () => {
    // Tokens this tab did not ask for (no matching state) must not sign it in.
    await page.goto("about:blank"); // a new document, not a same-page fragment change
    await page.goto(`${appURL}#id_token=forged&access_token=forged&expires_in=3600&token_type=Bearer&state=forged`);
    await appState("signed-out");
    const status = await page.textContent("#status");
    expect(/state/.test(status), `a forged redirect was not refused with a message; the app says: ${status}`);
    expect(!page.url().includes("forged"), "the forged fragment was left in the address bar");
  });

  await step("hosted-ui-login", async () => {
    await page.click("#sign-in");
    await page.waitForURL((u) => u.origin === authOrigin && u.pathname.endsWith("/login"), { timeout });
    const u = new URL(page.url());
    // Seed 004's URL: /login?response_type=token&client_id=…&redirect_uri=…
    expect(u.searchParams.get("response_type") === "token", `response_type ${u.searchParams.get("response_type")}`);
    expect(u.searchParams.get("client_id") === cfg.clientId, "client_id is not the demo client");
    expect(u.searchParams.get("redirect_uri") === cfg.redirectUri, "redirect_uri is not the app");
    expect(u.searchParams.get("state"), "no state");
    await page.waitForSelector('input[name="username"]', { timeout });
  });

  await step("hosted-ui-signup", async () => {
    await page.click('a[href*="/signup"]');
    await page.waitForSelector('input[name="email"]', { timeout });
  });

  await step("hosted-ui-confirm", async () => {
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="email"]', `${username}@example.com`);
    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('input[name="code"]', { timeout });
  });

  await step("hosted-ui-confirmed", async () => {
    const code = await signUpCode(cfg.userPoolId, username);
    await page.fill('input[name="code"]', code);
    await page.click('form:has(input[name="code"]) button[type="submit"]');
    await page.waitForSelector('input[name="password"]', { timeout });
    const alert = await page.$('[role="alert"]');
    expect(!alert, `the hosted UI shows an error: ${alert && (await alert.textContent())}`);
  });

  const identityId = await step("app-signed-in", async () => {
    await signInForm(username, password);
    await appState("signed-in");
    const id = (await page.textContent("#identity-id")).trim();
    expect(/^[a-z]{2}-[a-z]+-\d:[0-9a-f-]{36}$/.test(id), `identity id ${id}`);
    expect((await page.textContent("#flow")).includes("implicit"), "not signed in with the implicit flow");
    expect((await page.textContent("#user-name")).trim() === username, "the app names another user");
    expect(!page.url().includes("id_token"), "the tokens were left in the address bar");
    return id;
  });

  await step("uploaded", async () => {
    await page.setInputFiles("#file", { name: "journey.txt", mimeType: "text/plain", buffer: Buffer.from(content) });
    await page.click("#upload");
    await page.waitForSelector('li[data-name="journey.txt"]', { timeout });
    const status = await page.textContent("#status");
    expect(status.includes(`${identityId}/journey.txt`), `upload status: ${status}`);
  });

  await step("downloaded", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout }),
      page.click('li[data-name="journey.txt"] button'),
    ]);
    expect(download.suggestedFilename() === "journey.txt", `downloaded as ${download.suggestedFilename()}`);
    const saved = await readFile(await download.path(), "utf8");
    expect(saved === content, `downloaded ${JSON.stringify(saved)}, want ${JSON.stringify(content)}`);
    await page.waitForFunction((want) => document.getElementById("download-content").textContent === want, content, { timeout });
  });

  await step("other-folder-denied", async () => {
    await page.click("#other-folder");
    await page.waitForFunction(() => document.getElementById("other-folder-result").textContent !== "", null, { timeout });
    const got = await page.textContent("#other-folder-result");
    expect(got === "AccessDenied", `writing into another identity's folder gave ${got}, want AccessDenied`);
  });

  await step("signed-out", async () => {
    // Sign-out leaves for the hosted UI's /logout, which redirects straight
    // back to the same app URL: mark this document, and wait for one without
    // the mark to settle.
    await page.evaluate(() => { window.journeyOldPage = true; });
    await page.click("#sign-out");
    await page.waitForFunction(() => !window.journeyOldPage && document.body?.dataset.state, null, { timeout });
    await appState("signed-out");
    const stored = await page.evaluate(() => sessionStorage.length);
    expect(stored === 0, `sessionStorage still holds ${stored} entries`);
  });

  await step("hosted-ui-login-pkce", async () => {
    await page.click("#sign-in-pkce");
    // The hosted UI's session ended with sign-out, so it must ask again.
    await page.waitForURL((u) => u.origin === authOrigin, { timeout });
    await page.waitForSelector('input[name="password"]', { timeout });
  });

  await step("app-signed-in-pkce", async () => {
    await signInForm(username, password);
    await appState("signed-in");
    expect((await page.textContent("#flow")).includes("PKCE"), "not signed in with the code flow");
    const id = (await page.textContent("#identity-id")).trim();
    expect(id === identityId, `the code flow gave identity ${id}, the implicit flow ${identityId}`);
    expect(!page.url().includes("code="), "the code was left in the address bar");
    await page.waitForSelector('li[data-name="journey.txt"]', { timeout });
  });
}

async function main() {
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  const cfg = await (await fetch(new URL("/config.json", appURL))).json();
  // A fresh profile every run, and no calls home: the machine's network is
  // closed, and chromium's background fetches only add noise and delay.
  const profile = await mkdtemp(join(tmpdir(), "federa-journey-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1100, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  const started = performance.now();
  try {
    page = context.pages()[0] || (await context.newPage());
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    await journey(cfg);
    console.log(JSON.stringify({ ok: true, totalMs: Math.round(performance.now() - started), steps }));
  } catch (err) {
    if (page) {
      await page.screenshot({ path: join(artifacts, "failure.png"), fullPage: true }).catch(() => {});
      process.stderr.write(`journey: failed at ${page.url()}\n`);
      const text = await page.evaluate(() => document.body?.innerText ?? "").catch(() => "");
      process.stderr.write(`journey: the page says:\n${text}\n`);
    }
    for (const p of problems) process.stderr.write(`journey: ${p}\n`);
    console.log(JSON.stringify({ ok: false, error: err.message, steps }));
    process.exitCode = 1;
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

await main();
