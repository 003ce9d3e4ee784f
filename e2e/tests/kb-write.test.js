// The knowledge base's writing and reading sides in the SPA, on the Spanish demo, at desktop
// size and at 390×844: staff write an article, add an image (with its progress bar) and edit
// it, and meet another editor's save instead of overwriting it; a member finds it by a misspelt
// word in the header's search, opens it, sees the image, gets the PDF through its signed address, e-mails it, comments and votes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPortal, launch, api, sizes, browserOrSkip, inContext, goTo, waitForLink, signIn as signInAt } from "./support.js";

let portal;
let browser;
let adminToken;

/// A real 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

before(async () => {
  portal = await startPortal({ demo: true });
  const admin = await api(portal.base, "POST", "/auth/login", {
    email: "admin@faro.demo",
    password: "faro-demo-admin",
  });
  assert.equal(admin.status, 200);
  adminToken = admin.body.access_token;
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

function signIn(page, email, password) {
  return signInAt(page, portal.base, email, password);
}

/// Waits until every image of `scope` has loaded real pixels.
async function imagesLoaded(page, selector) {
  await page.waitForFunction((sel) => {
    const imgs = [...document.querySelectorAll(sel)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
}

for (const [size, viewport] of Object.entries(sizes)) {
  const title = `Configurar la VPN de la oficina (${size})`;
  const slug = `configurar-la-vpn-de-la-oficina-${size}`;

  test(`staff write, illustrate and edit an article at ${size} size`, async (t) => {
    if (!browserOrSkip(t)) return;
    browser ??= await launch();
    await inContext(browser, viewport, `kb-write-${size}`, async (page) => {
      await signIn(page, "admin@faro.demo", "faro-demo-admin");
      await goTo(page, "Base de conocimiento");
      await page.getByRole("link", { name: "Nuevo artículo" }).click();
      await page.getByRole("heading", { name: "Nuevo artículo" }).waitFor();
      await page.getByLabel("Título").fill(title);
      await page.getByLabel("Resumen").fill("Conexión al servidor de la oficina desde casa.");
      await page.getByLabel("Tipo").selectOption("tutorial");
      await page.getByLabel("Etiquetas").fill("VPN, teletrabajo");
      await page.getByLabel("Estado").selectOption("published");
      await page.getByLabel("Contenido").fill("## Pasos\n\n1. Abre **Configuración** > Red.\n2. Añade la VPN.\n");
      // The live preview is the server's rendering.
      await page.locator(".preview strong", { hasText: "Configuración" }).waitFor();
      await page.getByRole("button", { name: "Guardar" }).click();
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      assert.match(page.url(), new RegExp(`/kb/${slug}$`));

      // Edit: an image, uploaded with a progress bar, lands where the cursor is.
      await page.getByRole("link", { name: "Editar" }).click();
      const body = page.getByLabel("Contenido");
      await body.waitFor();
      await page.waitForFunction(() => document.querySelector("#art-body").value.includes("Añade la VPN"));
      await body.click();
      await body.press("Control+End");
      await page.getByLabel("Añadir una imagen").setInputFiles({ name: "paso-2.png", mimeType: "image/png", buffer: PNG });
      await page.getByRole("status").filter({ hasText: "Imagen añadida al contenido." }).waitFor();
      assert.match(await body.inputValue(), /!\[paso-2\.png\]\(\/api\/v1\/kb\/images\/[0-9a-f-]{36}\)/);
      await imagesLoaded(page, ".preview img");
      const previewSrc = await page.locator(".preview img").getAttribute("src");
      assert.match(previewSrc, /^\/api\/v1\/files\//);
      await page.getByLabel("Qué has cambiado (opcional)").fill("Captura del paso 2");

      // Meanwhile another editor saves (over the API, as an integration would)…
      const current = await api(portal.base, "GET", `/kb/articles/${slug}`, null, adminToken);
      const res = await fetch(`${portal.base}/api/v1/kb/articles/${slug}`, {
        method: "PUT",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${adminToken}`,
          "If-Match": `"r${current.body.id}-${current.body.revision}"`,
        },
        body: JSON.stringify({
          title,
          summary: current.body.summary,
          body: current.body.body + "\n3. Conecta.\n",
          kind: "tutorial",
          category_id: null,
          membership_id: null,
          tags: current.body.tags,
          note: "Paso 3",
        }),
      });
      assert.equal(res.status, 200);
      // …so this save is refused, said plainly, with their changes one click away.
      await page.getByRole("button", { name: "Guardar", exact: true }).click();
      const stale = page.getByRole("alert").filter({ hasText: "Alguien ha guardado otra versión mientras editabas" });
      await stale.waitFor();
      assert.ok(await stale.getByRole("link", { name: "Ver sus cambios" }).isVisible());
      await stale.getByRole("button", { name: "Guardar mis cambios encima" }).click();
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      await page.getByText("Revisión 3").waitFor();
      await imagesLoaded(page, ".kb-article .prose img");

      // The history shows the three revisions and their difference.
      await page.getByRole("link", { name: "Historial" }).click();
      await page.getByRole("heading", { name: "Historial" }).waitFor();
      await page.getByRole("cell", { name: "Captura del paso 2" }).waitFor();
      await page.getByRole("cell", { name: "Paso 3" }).waitFor();
      await page.locator("ol.diff li.removed").first().waitFor();
    });
  });

  test(`a member reads, gets the PDF, e-mails, comments and votes at ${size} size`, async (t) => {
    if (!browserOrSkip(t)) return;
    browser ??= await launch();
    await inContext(browser, viewport, `kb-read-${size}`, async (page) => {
      await signIn(page, "ana.garcia@industrias-ejemplo.es", "faro-demo-miembro");
      // The header's search: titles suggested while typing…
      const box = page.getByRole("combobox", { name: "Buscar en el portal" });
      await box.fill("Configurar la VPN de la of");
      await page.getByRole("option", { name: new RegExp(`\\(${size}\\)`) }).waitFor();
      // …and a misspelt word still finds the article, its words highlighted.
      await box.fill("ofizina");
      await box.press("Enter");
      await page.getByRole("heading", { name: "Buscar" }).waitFor();
      const result = page.locator("ul.results li").filter({ hasText: title });
      await result.waitFor();
      assert.ok(await result.locator("b").count() > 0);
      await result.getByRole("link").click();
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      await imagesLoaded(page, ".kb-article .prose img");
      // Staff tools are not there for members.
      assert.equal(await page.getByRole("link", { name: "Editar" }).count(), 0);

      // The PDF through its signed address: no Authorization header needed.
      const href = await page.getByRole("link", { name: "Descargar PDF" }).getAttribute("href");
      assert.match(href, /^\/api\/v1\/files\//);
      const pdf = await fetch(`${portal.base}${href}`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get("content-type"), "application/pdf");
      assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString(), "%PDF");

      // E-mail it: a wrong address is named, a right one goes.
      await page.getByRole("button", { name: "Enviar por correo" }).click();
      await page.getByLabel("Dirección de correo").fill(`jefa-${size}@ejemplo.es`);
      await page.getByLabel("Mensaje (opcional)").fill("Te paso los pasos.");
      await page.getByRole("button", { name: "Enviar", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "Enviado" }).waitFor();
      await waitForLink(portal, `jefa-${size}@ejemplo.es`, `/kb/${slug}`);

      // Comment: shown at once, through the server's sanitiser.
      const comments = page.locator("ol.comment-list > li");
      await page.getByLabel("Añadir un comentario").fill(`A mí me pedía **reiniciar** (${size}) <img src=x onerror=alert(1)>`);
      await page.getByRole("button", { name: "Publicar comentario" }).click();
      await comments.filter({ hasText: `reiniciar (${size})` }).waitFor();
      assert.equal(await page.locator("ol.comment-list [onerror]").count(), 0);
      assert.equal(await page.getByLabel("Añadir un comentario").inputValue(), "");

      // "¿Te ha resultado útil?": No, with a remark.
      await page.getByRole("button", { name: "No", exact: true }).click();
      await page.getByLabel("¿Qué le falta? (opcional)").fill("Falta el caso de Windows 10.");
      await page.getByRole("button", { name: "Enviar opinión" }).click();
      await page.getByRole("status").filter({ hasText: "Gracias por tu opinión." }).waitFor();
      assert.equal(await page.getByRole("button", { name: "No", exact: true }).getAttribute("aria-pressed"), "true");

      // Staff see it in the report.
      const report = await api(portal.base, "GET", "/kb/feedback/least-helpful", null, adminToken);
      assert.ok(report.body.some((r) => r.slug === slug));
    });
  });
}
