// Joining at phone size: an administrator creates a membership over the API; a person opens the
// join link with the code, asks for access, confirms with the e-mailed link (read from the
// outbox folder) and signs in. Then they forget their password and reset it by e-mail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPortal, launch, api, sizes, browserOrSkip, waitForLink } from "./support.js";

const PASSWORD = "caballo bateria grapa correcta";
let portal;
let browser;
let code;

before(async () => {
  portal = await startPortal();
  const admin = await api(portal.base, "POST", "/setup", {
    token: portal.token,
    name: "Ana Admin",
    email: "admin@soporte.example.es",
    password: PASSWORD,
  });
  assert.equal(admin.status, 200);
  const m = await api(
    portal.base,
    "POST",
    "/memberships",
    {
      name: "Talleres Ruiz S.L.",
      contract_state: "contract",
      coordinator_email: "coordinacion@ruiz.es",
      activate: true,
    },
    admin.body.access_token,
  );
  assert.equal(m.status, 201);
  code = m.body.invitation_code;
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test("a person joins, confirms, signs in and resets the password at phone size", async (t) => {
  if (!browserOrSkip(t)) return;
  browser = await launch();
  const context = await browser.newContext({ viewport: sizes.phone, locale: "es-ES" });
  const page = await context.newPage();
  try {
    await page.goto(`${portal.base}/join?code=${code}`);
    await page.getByRole("heading", { name: "Unirse a tu empresa" }).waitFor();
    assert.equal(await page.getByLabel("Código de invitación").inputValue(), code);
    await page.getByLabel("Nombre").fill("Jorge Ruiz");
    await page.getByLabel("Correo electrónico").fill("no-es-correo");
    await page.getByLabel("Contraseña").fill(PASSWORD);
    await page.getByRole("button", { name: "Pedir acceso" }).click();
    await page.locator("#email-error").filter({ hasText: /correo/i }).waitFor();
    await page.getByLabel("Correo electrónico").fill("jorge@ruiz.es");
    await page.getByRole("button", { name: "Pedir acceso" }).click();
    await page.getByRole("status").filter({ hasText: "Te hemos enviado un correo" }).waitFor();

    const confirm = await waitForLink(portal, "jorge@ruiz.es", "/join/confirm?token=");
    await page.goto(confirm);
    await page.getByRole("button", { name: "Confirmar y activar la cuenta" }).click();
    await page.getByRole("status").filter({ hasText: "Correo confirmado" }).waitFor();
    await page.getByRole("link", { name: "Iniciar sesión" }).click();
    await page.getByLabel("Correo electrónico").fill("jorge@ruiz.es");
    await page.getByLabel("Contraseña").fill(PASSWORD);
    await page.getByRole("button", { name: "Iniciar sesión" }).click();
    await page.getByRole("heading", { name: "Hola, Jorge Ruiz" }).waitFor();
    await page.getByRole("button", { name: "Cerrar sesión" }).click();

    await page.goto(`${portal.base}/login`);
    await page.getByRole("link", { name: "¿Has olvidado la contraseña?" }).click();
    await page.getByLabel("Correo electrónico").fill("jorge@ruiz.es");
    await page.getByRole("button", { name: "Enviar el enlace" }).click();
    await page.getByRole("status").filter({ hasText: "recibirás un enlace" }).waitFor();
    const reset = await waitForLink(portal, "jorge@ruiz.es", "/password/reset?token=");
    await page.goto(reset);
    await page.getByLabel("Contraseña nueva").fill("otra frase bastante larga");
    await page.getByRole("button", { name: "Guardar la contraseña" }).click();
    await page.getByRole("status").filter({ hasText: "Contraseña cambiada" }).waitFor();
    const again = await api(portal.base, "POST", "/auth/login", {
      email: "jorge@ruiz.es",
      password: "otra frase bastante larga",
    });
    assert.equal(again.status, 200);
  } catch (e) {
    await page.screenshot({ path: "test-results/join.png", fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
});
