// The foundation's whole flow, in the SPA, at desktop size and at 390×844, each on a fresh
// portal (the release binary): first-run setup → the administrator creates and activates a
// membership → the coordinator's invitation e-mail (read from the outbox folder) → the
// coordinator joins and becomes its coordinator → a person joins with the code, confirms,
// signs in, switches to English, changes the password, creates an API key → the coordinator
// deactivates them, and the person's open tab is signed out at its next action, with what they
// were typing kept. At phone size the person also forgets and resets their password.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  startPortal,
  launch,
  api,
  sizes,
  browserOrSkip,
  waitForLink,
  inContext,
  goTo,
  signOut,
} from "./support.js";

const PASSWORD = "caballo bateria grapa correcta";
const COORDINATOR = "lucia@ruiz.es";
let browser;

after(async () => {
  await browser?.close();
});

/// Joins with the code in the SPA and confirms with the e-mailed link; returns once the
/// account is active.
async function join(page, portal, code, name, email) {
  await page.goto(`${portal.base}/join?code=${code}`);
  await page.getByRole("heading", { name: "Unirse a tu empresa" }).waitFor();
  assert.equal(await page.getByLabel("Código de invitación").inputValue(), code);
  await page.getByLabel("Nombre").fill(name);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Pedir acceso" }).click();
  await page.getByRole("status").filter({ hasText: "Te hemos enviado un correo" }).waitFor();
  await page.goto(await waitForLink(portal, email, "/join/confirm?token="));
  await page.getByRole("button", { name: "Confirmar y activar la cuenta" }).click();
  await page.getByRole("status").filter({ hasText: "Correo confirmado" }).waitFor();
}

async function signIn(page, email, password = PASSWORD) {
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
}

for (const [size, viewport] of Object.entries(sizes)) {
  test(`setup, membership, invitation, join, profile and deactivation at ${size} size`, async (t) => {
    if (!browserOrSkip(t)) return;
    browser ??= await launch();
    const portal = await startPortal();
    try {
      // 1. The administrator: setup, then a membership created and activated in the SPA.
      await inContext(browser, viewport, `${size}-admin`, async (page) => {
        await page.goto(`${portal.base}/setup?token=${portal.token}`);
        await page.getByLabel("Nombre").fill("Ana Admin");
        await page.getByLabel("Correo electrónico").fill("admin@soporte.example.es");
        await page.getByLabel("Contraseña").fill(PASSWORD);
        await page.getByRole("button", { name: "Crear la cuenta" }).click();
        await page.getByRole("heading", { name: "Hola, Ana Admin" }).waitFor();

        await goTo(page, "Membresías");
        await page.getByRole("heading", { name: "Membresías" }).waitFor();
        await page.getByText("Todavía no hay membresías.").waitFor();
        await page.getByText("Nueva membresía").click();
        // Refused input is shown beside its field; what was typed stays.
        await page.getByLabel("Correo del coordinador").fill("no-es-correo");
        await page.getByRole("button", { name: "Crear la membresía" }).click();
        await page.locator("#name-error").filter({ hasText: /./ }).waitFor();
        await page.locator("#coordinator_email-error").filter({ hasText: /correo/i }).waitFor();
        assert.equal(await page.getByLabel("Correo del coordinador").inputValue(), "no-es-correo");
        await page.getByLabel("Nombre").fill("Talleres Ruiz S.L.");
        await page.getByLabel("Correo del coordinador").fill(COORDINATOR);
        await page.getByLabel("Suscripción").check();
        assert.ok(await page.getByLabel("Activarla ya").isChecked());
        await page.getByRole("button", { name: "Crear la membresía" }).click();
        await page.getByRole("status").filter({ hasText: "Creada." }).waitFor();
        await page.getByRole("link", { name: "Talleres Ruiz S.L." }).click();
        await page.getByRole("heading", { name: "Talleres Ruiz S.L." }).waitFor();
        await page.getByText("El código admite personas ahora mismo.").waitFor();
        await page.getByText("Todavía no se ha unido nadie.").waitFor();

        // The audit log has it.
        await goTo(page, "Registro de actividad");
        await page.getByRole("heading", { name: "Registro de actividad" }).waitFor();
        await page.getByRole("cell", { name: "Talleres Ruiz S.L." }).first().waitFor();
      });

      // 2. The invitation e-mail went to the coordinator, with the code and the join link.
      const joinLink = await waitForLink(portal, COORDINATOR, "/join?code=");
      const code = new URL(joinLink).searchParams.get("code");
      assert.match(code, /^[A-Z0-9-]{10,}$/);

      // 3. The coordinator joins with it and signs in: their company's page.
      await inContext(browser, viewport, `${size}-coordinator-joins`, async (page) => {
        await join(page, portal, code, "Lucía Ruiz", COORDINATOR);
      });

      // 4. A person joins, signs in, switches to English, changes the password, makes a key;
      //    their tab stays open on the profile while the coordinator deactivates them.
      await inContext(browser, viewport, `${size}-person`, async (person) => {
        await join(person, portal, code, "Jorge Ruiz", "jorge@ruiz.es");
        await person.getByRole("link", { name: "Iniciar sesión" }).click();
        await signIn(person, "jorge@ruiz.es");
        await person.getByRole("heading", { name: "Hola, Jorge Ruiz" }).waitFor();
        await goTo(person, "Tu perfil");
        await person.getByRole("heading", { name: "Tu perfil" }).waitFor();
        await person.getByLabel("Idioma").selectOption("en");
        await person.getByRole("button", { name: "Guardar" }).click();
        await person.getByRole("heading", { name: "Your profile" }).waitFor();
        assert.equal(await person.locator("html").getAttribute("lang"), "en");
        await person.getByLabel("Current password").fill("no es esta");
        await person.getByLabel("New password").fill("clave nueva bastante larga");
        await person.getByRole("button", { name: "Change the password" }).click();
        await person.locator("#current_password-error").filter({ hasText: /current password/i }).waitFor();
        await person.getByLabel("Current password").fill(PASSWORD);
        await person.getByRole("button", { name: "Change the password" }).click();
        await person.getByRole("status").filter({ hasText: "Password changed" }).waitFor();
        await person.getByLabel("Key name").fill("Intranet");
        await person.getByLabel("Read and write").check();
        await person.getByRole("button", { name: "Create the key" }).click();
        const secret = await person.getByLabel("Copy it now").inputValue();
        assert.match(secret, /^faro_[0-9a-f]{48}$/);
        const viaKey = await api(portal.base, "GET", "/me", null, secret);
        assert.equal(viaKey.status, 200);
        assert.equal(viaKey.body.email, "jorge@ruiz.es");
        // A second key, revoked from its row: it stops working at once.
        await person.getByLabel("Key name").fill("Pruebas");
        await person.getByRole("button", { name: "Create the key" }).click();
        await person.getByRole("button", { name: "Copy Pruebas" }).waitFor();
        const spare = await person.getByLabel("Copy it now").inputValue();
        await person.getByRole("button", { name: "Revoke Pruebas" }).click();
        await person.getByText("Revoked").waitFor();
        assert.equal((await api(portal.base, "GET", "/me", null, spare)).status, 401);
        assert.equal((await api(portal.base, "GET", "/me", null, secret)).status, 200);

        // The coordinator, in another browser, deactivates Jorge.
        await inContext(browser, viewport, `${size}-coordinator`, async (page) => {
          await page.goto(`${portal.base}/`);
          await signIn(page, COORDINATOR);
          await page.getByRole("heading", { name: "Hola, Lucía Ruiz" }).waitFor();
          await goTo(page, "Mi empresa");
          await page.getByRole("heading", { name: "Talleres Ruiz S.L." }).waitFor();
          assert.equal(await page.locator("#invitation-code").innerText(), code);
          page.once("dialog", (d) => d.accept());
          await page.getByRole("button", { name: "Desactivar Jorge Ruiz" }).click();
          await page.getByRole("button", { name: "Reactivar Jorge Ruiz" }).waitFor();
        });
        // Every way in is closed at once: the key too.
        assert.equal((await api(portal.base, "GET", "/me", null, secret)).status, 401);

        // Jorge's tab, at its next action: the session has ended; what he typed is still there.
        await person.getByLabel("Name", { exact: true }).fill("Jorge Ruiz Gil");
        await person.getByRole("button", { name: "Save", exact: true }).click();
        const dialog = person.getByRole("dialog", { name: "Your session has ended" });
        await dialog.waitFor();
        await dialog.getByLabel("Password").fill("clave nueva bastante larga");
        await dialog.getByRole("button", { name: "Sign in", exact: true }).click();
        await dialog.getByRole("alert").filter({ hasText: /deactivated|desactivada/i }).waitFor();
        assert.equal(await person.locator("#name").inputValue(), "Jorge Ruiz Gil");
        await dialog.getByRole("button", { name: "Sign in with another account" }).click();
        await person.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
      });

      if (size === "phone") {
        // 5. Forgotten password: the coordinator resets theirs by e-mail.
        await inContext(browser, viewport, `${size}-reset`, async (page) => {
          await page.goto(`${portal.base}/login`);
          await page.getByRole("link", { name: "¿Has olvidado la contraseña?" }).click();
          await page.getByLabel("Correo electrónico").fill(COORDINATOR);
          await page.getByRole("button", { name: "Enviar el enlace" }).click();
          await page.getByRole("status").filter({ hasText: "recibirás un enlace" }).waitFor();
          await page.goto(await waitForLink(portal, COORDINATOR, "/password/reset?token="));
          await page.getByLabel("Contraseña nueva").fill("otra frase bastante larga");
          await page.getByRole("button", { name: "Guardar la contraseña" }).click();
          await page.getByRole("status").filter({ hasText: "Contraseña cambiada" }).waitFor();
          await page.goto(`${portal.base}/login`);
          await signIn(page, COORDINATOR, "otra frase bastante larga");
          await page.getByRole("heading", { name: "Hola, Lucía Ruiz" }).waitFor();
          await signOut(page);
          await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
        });
      }
    } finally {
      await portal.stop();
    }
  });
}
