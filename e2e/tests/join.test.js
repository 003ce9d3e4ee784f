// Joining at phone size: an administrator creates a membership over the API; a person opens the
// join link with the code, asks for access, confirms with the e-mailed link (read from the
// outbox folder) and signs in; switches to English, changes the password, creates an API key,
// uses and revokes it. Then they forget their password and reset it by e-mail.
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

    // The profile: switch to English, change the password, create an API key and revoke it.
    await page.getByRole("link", { name: "Tu perfil" }).click();
    await page.getByRole("heading", { name: "Tu perfil" }).waitFor();
    await page.getByLabel("Idioma").selectOption("en");
    await page.getByRole("button", { name: "Guardar" }).click();
    await page.getByRole("heading", { name: "Your profile" }).waitFor();
    await page.getByLabel("Current password").fill("no es esta");
    await page.getByLabel("New password").fill("clave nueva bastante larga");
    await page.getByRole("button", { name: "Change the password" }).click();
    await page.locator("#current_password-error").filter({ hasText: /current password/i }).waitFor();
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByRole("button", { name: "Change the password" }).click();
    await page.getByRole("status").filter({ hasText: "Password changed" }).waitFor();
    await page.getByLabel("Key name").fill("Intranet");
    await page.getByRole("button", { name: "Create the key" }).click();
    const secret = await page.getByLabel("Copy it now").inputValue();
    assert.match(secret, /^faro_[0-9a-f]{48}$/);
    const viaKey = await api(portal.base, "GET", "/me", null, secret);
    assert.equal(viaKey.status, 200);
    assert.equal(viaKey.body.email, "jorge@ruiz.es");
    await page.getByRole("button", { name: "Revoke Intranet" }).click();
    await page.getByText("Revoked").waitFor();
    assert.equal((await api(portal.base, "GET", "/me", null, secret)).status, 401);
    await page.getByRole("link", { name: "Go to the start page" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    // Signed out, the browser's language (Spanish) applies again.

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
