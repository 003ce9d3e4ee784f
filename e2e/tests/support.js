// Starts the real `faro` binary on a fresh data folder and a free port, and opens Debian's
// Chromium through playwright-core (never a downloaded browser).
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer } from "node:net";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..", "..");
const target = process.env.CARGO_TARGET_DIR ?? "/var/tmp/faro-target";
export const CHROMIUM = "/usr/bin/chromium";

export const sizes = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

export function browserOrSkip(t) {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`CI=true but ${CHROMIUM} is missing`);
  t.skip(`${CHROMIUM} is not installed`);
  return false;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

/// The portal, started like `just run` does but on a fresh folder (with `demo`, like `just
/// demo`); resolves once it answers.
export async function startPortal({ demo = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), "faro-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const bin = process.env.FARO_BIN ?? join(target, "release", "faro");
  const child = spawn(bin, demo ? ["serve", "--demo"] : ["serve"], {
    env: {
      ...process.env,
      FARO_DATA_DIR: data,
      FARO_BIND: `127.0.0.1:${port}`,
      // The SPA built into the release binary serves (FARO_WEB_DIR would override it).
      FARO_CONFIG: join(data, "none.toml"),
      FARO_LOG: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const started = Date.now();
  const ready = demo ? /\/api\/docs/ : /setup\?token=[0-9a-f]{64}/;
  while (!ready.test(out)) {
    if (Date.now() - started > 30000) throw new Error(`the portal did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const token = out.match(/setup\?token=([0-9a-f]{64})/)?.[1];
  return {
    base,
    data,
    token,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/// JSON against the API (to prepare data the way an integration would).
export async function api(base, method, path, body, token) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/// Waits (up to 10 s) for an e-mail to `to` in the portal's outbox folder with a link to `path`
/// and returns that link (the text part, quoted-printable decoded).
export async function waitForLink(portal, to, path) {
  const { readdirSync, readFileSync } = await import("node:fs");
  const dir = join(portal.data, "outbox");
  const started = Date.now();
  while (Date.now() - started < 10000) {
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
    } catch {}
    for (const f of files) {
      const raw = readFileSync(join(dir, f), "utf8");
      if (!raw.includes(to)) continue;
      const text = raw
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      const at = text.indexOf(path);
      if (at < 0) continue;
      const start = text.lastIndexOf("http", at);
      return text.slice(start).split(/\s/)[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${path} link to ${to} within 10 s`);
}

/// A browser context at `viewport` in Spanish, traced; `run(page)` is the flow. On failure a
/// full-page screenshot and the trace (open with `npx playwright show-trace`) are kept under
/// test-results/ with `name`.
export async function inContext(browser, viewport, name, run, locale = "es-ES") {
  const { mkdirSync } = await import("node:fs");
  mkdirSync("test-results", { recursive: true });
  const context = await browser.newContext({ viewport, locale });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  // What the page itself reported (panics, failed loads), kept with the screenshot.
  const reported = [];
  page.on("pageerror", (e) => reported.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") reported.push(`console: ${m.text()}`);
  });
  try {
    await run(page, context);
    // A panic in the app is a failure even when the flow got through.
    const crashed = reported.filter((r) => r.startsWith("pageerror"));
    if (crashed.length) throw new Error(`the page crashed: ${crashed.join("; ")}`);
    await context.tracing.stop();
  } catch (e) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`test-results/${name}-console.txt`, reported.join("\n"));
    await page.screenshot({ path: `test-results/${name}.png`, fullPage: true }).catch(() => {});
    await context.tracing.stop({ path: `test-results/${name}-trace.zip` }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

/// Goes to a section through the header's navigation (behind the menu button on phones).
export async function goTo(page, section) {
  const toggle = page.getByRole("button", { name: /^Men[uú]$/ });
  if (await toggle.isVisible()) {
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  }
  await page.getByRole("navigation").getByRole("link", { name: section, exact: true }).click();
}

/// Signs out through the header (behind the menu button on phones).
export async function signOut(page, label = "Cerrar sesión") {
  const toggle = page.getByRole("button", { name: /^Men[uú]$/ });
  if (await toggle.isVisible()) {
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  }
  await page.getByRole("button", { name: label }).click();
}

/// Signs `email` in through the sign-in screen of `base` and waits for the start page.
export async function signIn(page, base, email, password) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.getByRole("heading", { name: /^Hola,/ }).waitFor();
}
