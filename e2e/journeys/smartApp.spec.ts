/**
 * Another SMART app launched against this server: SMART Health IT's fhirclient 2.6.3 in Chromium,
 * registered through SMART_CLIENTS_FILE and served from its own origin (so every call it makes is
 * cross-origin, as for any third-party app). Standalone patient and staff launches, an EHR launch,
 * reopening the redirect page, and a refresh as fhirclient sends it (no client_id).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Patient } from 'fhir/r4';
import {
  DEFAULT_DEMO_STAFF_PASSWORD,
  DEMO_STAFF_PRACTITIONER_ID,
  DEMO_STAFF_USERNAME,
} from '../../server/auth/demoAccounts';
import { REPO_ROOT, startChildServer, type ChildServer } from '../../server/test/childServer';
import { PRODUCT_NAME } from '../../domain/product';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { SignInPage } from '../pages/SignInPage';
import { SmartLauncherApp } from '../pages/SmartLauncherApp';
import { DESK_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { patientCredentials } from '../support/signIn';
import { LAUNCHER_CLIENT_NAME, startSmartLauncher, type SmartLauncher } from '../support/smartLauncher';
import { expect, test } from '../support/test';

const workDir = join(REPO_ROOT, '.tmp', 'smart-app-e2e');
let launcher: SmartLauncher;
let server: ChildServer;
let fhirBase: string;

test.describe(`a SMART app nobody here wrote ${DESK_ONLY}`, () => {
  test.beforeAll(async () => {
    // A fresh data directory: the server creates the demo data first.
    test.setTimeout(120_000);
    rmSync(workDir, { recursive: true, force: true });
    launcher = await startSmartLauncher(workDir);
    server = await startChildServer({
      dataDir: join(workDir, 'data'),
      startTimeoutMs: 110_000,
      env: { SMART_CLIENTS_FILE: launcher.clientsFile, CORS_ORIGINS: launcher.origin },
    });
    fhirBase = `${server.origin}/fhir`;
  });

  test.afterAll(async () => {
    await server?.stop();
    await launcher?.stop();
  });

  async function patient(id: string): Promise<Patient> {
    const response = await fetch(`${fhirBase}/Patient/${id}`, { headers: server.headers });
    expect(response.status).toBe(200);
    return (await response.json()) as Patient;
  }

  test('a patient launches it standalone, reopens its redirect page, and it refreshes its token', async ({
    page,
  }, testInfo) => {
    const app = new SmartLauncherApp(page, launcher.origin);
    const signIn = new SignInPage(page);
    const aroha = WELL_KNOWN.patient;
    let redirect = '';

    await test.step('the launch asks this server to sign in, naming the app', async () => {
      await app.launch({ iss: fhirBase, scope: 'launch/patient openid fhirUser offline_access patient/*.rs' });
      await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
      await expect(
        page.getByText(`${LAUNCHER_CLIENT_NAME} is asking to use your ${PRODUCT_NAME} account.`),
      ).toBeVisible();
      await checkScreen(page, testInfo, 'sign-in for another SMART app');
    });

    await test.step('the patient signs in, and the app has them in context', async () => {
      const redirected = page.waitForRequest((request) => request.url().startsWith(launcher.redirectUri));
      await signIn.signInAsPatient(patientCredentials(await patient(aroha.id)));
      redirect = (await redirected).url();
      // No iss: fhirclient would take one for the FHIR server.
      expect(new URL(redirect).searchParams.get('iss')).toBeNull();
      await app.expectReady();
      await app.expectFact('Patient', `${aroha.given} ${aroha.family} (${aroha.id})`);
      await app.expectFact('Signed in as', `Patient/${aroha.id}`);
      await app.expectFact('Practitioner read', 'Mere Parata');
    });

    await test.step('reopening the redirect page, as it was first opened and reloaded, shows the same', async () => {
      await page.goto(redirect);
      await app.expectReady();
      await app.expectFact('Patient', `${aroha.given} ${aroha.family} (${aroha.id})`);
      await page.reload();
      await app.expectReady();
      await app.expectFact('Patient', `${aroha.given} ${aroha.family} (${aroha.id})`);
    });

    await test.step('a refresh as fhirclient sends it, without client_id, gives a working token', async () => {
      const refreshed = page.waitForResponse(
        (response) => response.url() === `${server.origin}/auth/token` && response.request().method() === 'POST',
      );
      await app.refreshButton.click();
      const answer = await refreshed;
      expect(answer.request().postData()).toMatch(/grant_type=refresh_token/);
      expect(answer.request().postData()).not.toMatch(/client_id/);
      expect(answer.status()).toBe(200);
      await expect(app.status).toHaveText('Token refreshed.');
      await expect(app.error).toBeHidden();
    });
  });

  test('a receptionist launches it standalone, with no patient in context', async ({ page }) => {
    const app = new SmartLauncherApp(page, launcher.origin);
    await app.launch({ iss: fhirBase, scope: 'openid fhirUser online_access user/*.rs' });
    await new SignInPage(page).signInAsStaff(DEMO_STAFF_USERNAME, DEFAULT_DEMO_STAFF_PASSWORD);
    await app.expectReady();
    await app.expectFact('Patient', 'none');
    await app.expectFact('Signed in as', `Practitioner/${DEMO_STAFF_PRACTITIONER_ID}`);
    await app.expectFact('Practitioner read', 'Mere Parata');
  });

  test('an EHR launches it on one patient for the signed-in receptionist', async ({ page }) => {
    const hemi = WELL_KNOWN.patientWithMacron;
    const app = new SmartLauncherApp(page, launcher.origin);
    let launch = '';

    await test.step('the EHR (a system client here) asks the server for a launch on the patient', async () => {
      const response = await fetch(`${server.origin}/auth/launch`, {
        method: 'POST',
        headers: { authorization: server.headers.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ patient: hemi.id }),
      });
      expect(response.status).toBe(200);
      launch = ((await response.json()) as { launch: string }).launch;
    });

    await test.step('the app, opened with iss and launch, gets that patient once staff sign in', async () => {
      await app.launch({ iss: fhirBase, launch, scope: 'launch openid fhirUser online_access user/*.rs patient/*.rs' });
      await new SignInPage(page).signInAsStaff(DEMO_STAFF_USERNAME, DEFAULT_DEMO_STAFF_PASSWORD);
      await app.expectReady();
      await app.expectFact('Patient', `${hemi.given} ${hemi.family} (${hemi.id})`);
    });
  });
});
