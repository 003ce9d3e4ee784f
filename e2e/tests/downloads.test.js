// Downloads and resources in the SPA on the Spanish demo: support publishes a new item for one
// client with a file (progress bar, SHA-256 shown), a member of that client downloads the
// latest version and sees "you downloaded it on …", support sees the download counted and who
// has not fetched it yet; a member on a phone finds a tool in the resources catalogue.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { startPortal, launch, sizes, browserOrSkip, inContext, goTo, signIn as signInAt } from "./support.js";

let portal;
let browser;

const TITLE = "Agente de copias de seguridad";
// 300 KB that do not compress, so the upload takes a few progress events.
const FILE = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24));
const SHA = createHash("sha256").update(FILE).digest("hex");

before(async () => {
  portal = await startPortal({ demo: true });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

function signIn(page, email, password) {
  return signInAt(page, portal.base, email, password);
}

test("support publishes a version for one client; a member downloads it and it is counted", async (t) => {
  if (!browserOrSkip(t)) return;
  browser ??= await launch();

  // Pablo, support, creates the item for Industrias Ejemplo only and uploads version 2.4.
  await inContext(browser, sizes.desktop, "downloads-publish", async (page) => {
    await signIn(page, "soporte@faro.demo", "faro-demo-agente");
    await goTo(page, "Descargas");
    await page.getByRole("heading", { level: 1, name: "Descargas" }).waitFor();
    // The demo's items are there, with their audience for staff.
    await page.getByRole("link", { name: "FaroERP, programa de gestión" }).waitFor();
    await page.getByRole("link", { name: "Nueva descarga" }).click();
    await page.getByRole("heading", { name: "Nueva descarga" }).waitFor();
    await page.getByLabel("Software").check();
    await page.getByLabel("Título").fill(TITLE);
    await page.getByLabel("Categoría").fill("Aplicaciones");
    await page.getByLabel("Descripción (Markdown)").fill("Instala el agente en **cada servidor**.");
    await page.getByLabel("Solo las membresías marcadas").check();
    // Without a membership ticked the API names the field.
    await page.getByRole("button", { name: "Guardar" }).click();
    await page.locator("#dl-audience-error", { hasText: /.+/ }).waitFor();
    await page.getByLabel("Industrias Ejemplo S.A.").check();
    await page.getByRole("button", { name: "Guardar" }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    assert.ok((await page.locator(".prose strong").first().innerText()).includes("cada servidor"));
    await page.getByText("Sin versiones publicadas: los clientes aún no la ven.").first().waitFor();

    await page.getByLabel("Versión", { exact: true }).fill("2.4");
    await page.getByLabel("Notas de la versión (Markdown)").fill("- Copias **incrementales**.");
    await page.locator("#dl-file").setInputFiles({ name: "agente-2.4.msi", mimeType: "application/octet-stream", buffer: FILE });
    await page.getByRole("button", { name: "Subir y publicar" }).click();
    const row = page.locator("li.version", { hasText: "Versión 2.4" });
    await row.waitFor();
    assert.ok(await row.locator(".badge.dl-current", { hasText: "Vigente" }).isVisible());
    assert.equal((await row.locator("code.sha").innerText()).trim(), SHA);
    assert.ok(await row.getByText("agente-2.4.msi").isVisible());
    // Nobody has it yet: the counts say so.
    await page.locator("section", { hasText: "Quién la ha descargado" }).getByText("Descargas en total: 0").waitFor();
  });

  // Ana, of Industrias Ejemplo, finds it and downloads the latest version.
  await inContext(browser, sizes.desktop, "downloads-member", async (page) => {
    await signIn(page, "ana.garcia@industrias-ejemplo.es", "faro-demo-miembro");
    await goTo(page, "Descargas");
    await page.getByRole("link", { name: TITLE }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    // Members see neither the publishing form nor the counts.
    assert.equal(await page.getByRole("button", { name: "Subir y publicar" }).count(), 0);
    assert.equal(await page.getByText("Quién la ha descargado").count(), 0);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Descargar la última versión/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "agente-2.4.msi");
    const got = readFileSync(await download.path());
    assert.equal(createHash("sha256").update(got).digest("hex"), SHA);
    await page.reload();
    await page.locator("li.version", { hasText: "Versión 2.4" }).getByText(/^La descargaste el /).waitFor();
  });

  // Talleres Demo does not see it at all.
  await inContext(browser, sizes.desktop, "downloads-other-client", async (page) => {
    await signIn(page, "jorge.navarro@talleres-demo.es", "faro-demo-coordina");
    await goTo(page, "Descargas");
    await page.getByRole("link", { name: "FaroERP, programa de gestión" }).waitFor();
    assert.equal(await page.getByRole("link", { name: TITLE }).count(), 0);
  });

  // Pablo sees the download counted, and who at Industrias Ejemplo still lacks it.
  await inContext(browser, sizes.desktop, "downloads-counted", async (page) => {
    await signIn(page, "soporte@faro.demo", "faro-demo-agente");
    await goTo(page, "Descargas");
    await page.getByRole("link", { name: TITLE }).click();
    const stats = page.locator("section", { hasText: "Quién la ha descargado" });
    await stats.getByText("Descargas en total: 1").waitFor();
    await stats.getByText("descargas: 1 · personas: 1").waitFor();
    const missing = stats.locator("ul.missing li", { hasText: "Industrias Ejemplo S.A." });
    await missing.waitFor();
    assert.match(await missing.innerText(), /Carlos López/);
    assert.doesNotMatch(await missing.innerText(), /Ana García/);
  });
});

test("a member on a phone finds a tool in the resources catalogue", async (t) => {
  if (!browserOrSkip(t)) return;
  browser ??= await launch();
  await inContext(browser, sizes.phone, "resources-phone", async (page) => {
    await signIn(page, "carlos.lopez@industrias-ejemplo.es", "faro-demo-miembro");
    await goTo(page, "Recursos");
    await page.getByRole("heading", { level: 1, name: "Recursos" }).waitFor();
    await page.getByLabel("Buscar en el catálogo").fill("contraseñas");
    const card = page.locator("article.resource", { hasText: "KeePassXC" });
    await card.waitFor();
    assert.equal(await page.locator("article.resource", { hasText: "VLC" }).count(), 0);
    assert.equal(await card.getByRole("link", { name: "Web oficial" }).getAttribute("href"), "https://keepassxc.org/");
    // The hosted copy comes with its SHA-256.
    await page.getByLabel("Buscar en el catálogo").fill("7-zip");
    const zip = page.locator("article.resource", { hasText: "7-Zip" });
    await zip.getByRole("link", { name: "Copia alojada aquí" }).waitFor();
    assert.match(await zip.locator("code.sha").innerText(), /^[0-9a-f]{64}$/);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the catalogue is ${wide} px wide`);
  });
});
