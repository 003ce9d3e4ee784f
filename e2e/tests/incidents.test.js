// An incident's whole life in the SPA on the Spanish demo: a member opens an Alta incident with
// a PNG from a phone (390×844), a colleague comments at desktop size, staff leave an internal
// note and ask for remote access, the member authorises it from the phone (never seeing the
// note), staff connect and resolve it, and the member confirms the fix and closes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPortal, launch, sizes, browserOrSkip, inContext, goTo, signIn as signInAt } from "./support.js";

let portal;
let browser;

// A 2×2 red PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==",
  "base64",
);
const TITLE = "La báscula de expedición no pesa";
const NOTE = "Nota solo para soporte: revisar la licencia";

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

/// Opens the incident from the list (the member's or the staff queue).
async function openFromList(page) {
  await goTo(page, "Incidencias");
  await page.getByRole("link", { name: new RegExp(TITLE) }).click();
  await page.getByRole("heading", { level: 1, name: new RegExp(TITLE) }).waitFor();
}

test("an incident from a phone to closed: open with a photo, comment, remote access, resolve, close", async (t) => {
  if (!browserOrSkip(t)) return;
  browser ??= await launch();
  let number;

  // Ana, on her phone, opens an Alta incident with a screenshot.
  await inContext(browser, sizes.phone, "incident-open-phone", async (page) => {
    await signIn(page, "ana.garcia@industrias-ejemplo.es", "faro-demo-miembro");
    await goTo(page, "Incidencias");
    await page.getByRole("heading", { name: "Incidencias" }).waitFor();
    await page.getByRole("link", { name: "Abrir una incidencia" }).click();
    await page.getByRole("heading", { name: "Abrir una incidencia" }).waitFor();
    // Articles that may answer it appear while the title is typed.
    await page.getByLabel("Título").fill("copia de seguridad");
    await page.getByRole("heading", { name: "¿Es esto lo que buscas?" }).waitFor();
    await page.getByLabel("Título").fill(TITLE);
    await page.getByLabel("Sistema afectado").fill("Báscula del muelle 2");
    // Each priority with its definition beside it.
    const alta = page.getByLabel(/^Alta: el sistema queda en condiciones inaceptables/);
    await alta.check();
    await page.getByLabel("Descripción").fill("Marca **cero** con cualquier peso desde esta mañana.");
    await page.locator("#inc-files").setInputFiles({ name: "pantalla.png", mimeType: "image/png", buffer: PNG });
    await page.locator("ul.chosen-files li", { hasText: "pantalla.png" }).waitFor();
    assert.equal(await page.locator("ul.chosen-files progress").count(), 1);
    // Nothing sticks out sideways on a phone.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the form is ${wide} px wide`);
    await page.getByRole("button", { name: "Abrir la incidencia" }).click();
    await page.getByRole("heading", { level: 1, name: new RegExp(TITLE) }).waitFor();
    number = (await page.getByRole("heading", { level: 1 }).innerText()).split(" · ")[0];
    assert.match(number, /^INC-\d{4}-\d+$/);
    assert.match(page.url(), new RegExp(`/incidents/${number}$`));
    assert.ok(await page.locator(".badge.prio-high").first().isVisible());
    assert.ok((await page.locator(".prose strong").first().innerText()).includes("cero"));
    // The screenshot shows through its thumbnail's own signed address (this tiny PNG is its
    // own thumbnail: a JPEG of it would weigh more), and a click on it opens the original.
    const thumb = page.locator("img.thumb");
    await thumb.waitFor();
    await page.waitForFunction(() => document.querySelector("img.thumb")?.naturalWidth === 2);
    const small = await thumb.getAttribute("src");
    const whole = await page.locator("a:has(> img.thumb)").getAttribute("href");
    assert.notEqual(small, whole);
    const got = await page.request.get(new URL(small, page.url()).href);
    assert.equal(got.status(), 200);
    assert.match(got.headers()["content-type"], /^image\//);
  });

  // Carlos, a colleague, finds it in the membership's list and adds what he sees.
  await inContext(browser, sizes.desktop, "incident-colleague", async (page) => {
    await signIn(page, "carlos.lopez@industrias-ejemplo.es", "faro-demo-miembro");
    await openFromList(page);
    await page.locator("#reply-body").fill("En el muelle 1 pasa lo mismo.");
    await page.getByRole("button", { name: "Enviar la respuesta" }).click();
    await page.locator("ol.timeline li", { hasText: "En el muelle 1 pasa lo mismo." }).waitFor();
  });

  // Pablo, support: the queue shows it; an internal note, then a remote-access request.
  await inContext(browser, sizes.desktop, "incident-staff-ask", async (page) => {
    await signIn(page, "soporte@faro.demo", "faro-demo-agente");
    await goTo(page, "Incidencias");
    await page.getByRole("heading", { name: "Cola de incidencias" }).waitFor();
    await openFromList(page);
    await page.getByLabel("Nota interna: el cliente no la verá").check();
    assert.ok(await page.locator("form.reply.internal").isVisible());
    // The box says what it is writing now.
    await page.locator("label[for=reply-body]", { hasText: "Nota interna" }).waitFor();
    await page.locator("#reply-body").fill(NOTE);
    await page.getByRole("button", { name: "Guardar la nota interna" }).click();
    const note = page.locator("ol.timeline li.internal", { hasText: NOTE });
    await note.waitFor();
    assert.ok(await note.locator(".internal-badge").isVisible());

    await page.locator("summary", { hasText: "Pedir una conexión remota" }).click();
    await page.getByLabel("Para qué").fill("Revisar el controlador de la báscula");
    await page.getByLabel("Herramienta").fill("RustDesk");
    await page.getByLabel("Cuándo").fill("Hoy de 12:00 a 13:00");
    await page.locator("form", { has: page.locator("#remote-purpose") }).getByRole("button").click();
    await page.locator(".card.remote", { hasText: "Esperando respuesta" }).waitFor();
  });

  // Ana, on her phone: the consent card; she authorises. The note is not there.
  await inContext(browser, sizes.phone, "incident-authorise-phone", async (page) => {
    await signIn(page, "ana.garcia@industrias-ejemplo.es", "faro-demo-miembro");
    await openFromList(page);
    await page.getByRole("heading", { name: "El soporte pide conectarse en remoto" }).waitFor();
    assert.ok(await page.locator(".card.consent", { hasText: "RustDesk" }).isVisible());
    assert.equal(await page.getByText(NOTE).count(), 0);
    assert.equal(await page.locator("li.internal").count(), 0);
    await page.locator("ol.timeline li", { hasText: "En el muelle 1 pasa lo mismo." }).waitFor();
    await page.getByRole("button", { name: "Autorizar la conexión" }).click();
    await page.locator(".card.remote", { hasText: "Autorizada" }).waitFor();
    assert.ok(await page.locator(".card.remote", { hasText: /Respondió Ana García/ }).isVisible());
  });

  // Pablo connects and resolves it.
  await inContext(browser, sizes.desktop, "incident-staff-resolve", async (page) => {
    await signIn(page, "soporte@faro.demo", "faro-demo-agente");
    await page.goto(`${portal.base}/incidents/${number}`);
    await page.getByRole("button", { name: "Empezar la conexión" }).click();
    await page.locator(".card.remote", { hasText: "Conectado" }).waitFor();
    await page.getByLabel("Cambiar el estado").selectOption("resolved");
    await page.getByLabel("Comentario (opcional)").fill("Recalibrada en remoto.");
    await page.getByRole("button", { name: "Cambiar el estado" }).click();
    await page.locator(".incident-head .badge.state-resolved").waitFor();
  });

  // Ana confirms the fix and closes it.
  await inContext(browser, sizes.phone, "incident-close-phone", async (page) => {
    await signIn(page, "ana.garcia@industrias-ejemplo.es", "faro-demo-miembro");
    await page.goto(`${portal.base}/incidents/${number}`);
    await page.getByText("El soporte la da por resuelta.", { exact: false }).waitFor();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Confirmar la solución y cerrar" }).click();
    await page.locator(".incident-head .badge.state-closed").waitFor();
    assert.ok(await page.getByRole("button", { name: "Reabrir" }).isVisible());
  });
});
