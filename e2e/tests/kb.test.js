// The knowledge base in the SPA on the Spanish demo (`faro serve --demo`), at desktop size and
// at 390×844: a member browses, filters by kind and orders by title, opens an article, and
// prints it (the print style sheet leaves only the article); another membership's article is
// the API's 404, shown as such.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPortal, launch, api, sizes, browserOrSkip, inContext, goTo } from "./support.js";

let portal;
let browser;
let foreign;

before(async () => {
  portal = await startPortal({ demo: true });
  // An article written for the other demo membership (Talleres), found the way an integration
  // would: staff list everything.
  const admin = await api(portal.base, "POST", "/auth/login", {
    email: "admin@faro.demo",
    password: "faro-demo-admin",
  });
  assert.equal(admin.status, 200);
  const all = await api(portal.base, "GET", "/kb/articles?limit=100", null, admin.body.access_token);
  foreign = all.body.items.find((a) => a.membership?.name?.startsWith("Talleres"));
  assert.ok(foreign, "the demo has an article for Talleres");
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

for (const [size, viewport] of Object.entries(sizes)) {
  test(`a member browses, filters, reads and prints an article at ${size} size`, async (t) => {
    if (!browserOrSkip(t)) return;
    browser ??= await launch();
    await inContext(browser, viewport, `kb-${size}`, async (page) => {
      await page.goto(`${portal.base}/login`);
      await page.getByLabel("Correo electrónico").fill("ana.garcia@industrias-ejemplo.es");
      await page.getByLabel("Contraseña").fill("faro-demo-miembro");
      await page.getByRole("button", { name: "Iniciar sesión" }).click();
      await page.getByRole("heading", { name: /^Hola, Ana/ }).waitFor();

      await goTo(page, "Base de conocimiento");
      await page.getByRole("heading", { name: "Base de conocimiento" }).waitFor();
      const list = page.locator("ul.articles > li");
      await list.first().waitFor();
      // Never another membership's article.
      assert.equal(await page.getByText(foreign.title).count(), 0);

      // Only FAQs, then by title.
      await page.getByLabel("Tipo").selectOption("faq");
      await page.getByLabel("Orden").selectOption("title");
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll("ul.articles > li")];
        return rows.length > 0 && rows.every((r) => r.textContent.includes("Pregunta frecuente"));
      });
      const titles = await list.locator("strong").allInnerTexts();
      const sorted = [...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.deepEqual(titles, sorted);

      // Open the first; its body is the server's HTML.
      await list.first().getByRole("link").click();
      await page.getByRole("heading", { level: 1, name: titles[0] }).waitFor();
      assert.ok((await page.locator(".prose").innerText()).length > 20);
      assert.match(page.url(), /\/kb\/[a-z0-9-]+$/);

      // Printing keeps the article and drops the app around it.
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.locator("header.top").isVisible(), false);
      assert.equal(await page.getByRole("button", { name: "Imprimir" }).isVisible(), false);
      assert.ok(await page.getByRole("heading", { level: 1, name: titles[0] }).isVisible());
      await page.emulateMedia({ media: "screen" });

      // Another membership's article: the API's 404, said plainly, with a way back.
      await page.goto(`${portal.base}/kb/${foreign.slug}`);
      await page.getByRole("alert").filter({ hasText: /no existe|no encontrado|no se ha encontrado/i }).waitFor();
      await page.getByRole("link", { name: "Volver a la base de conocimiento" }).click();
      await page.getByRole("heading", { name: "Base de conocimiento" }).waitFor();
    });
  });
}
