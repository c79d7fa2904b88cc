/**
 * The sign-in page over HTTP, as a patient on a phone meets it: the app's name and colours, the date
 * of birth typed day first, and an impossible date told at its field without losing anything typed or
 * counting as a failed sign-in.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_NAME } from '../../domain/product';
import {
  authorizeQuery,
  credentialFields,
  form,
  FORM_HEADERS,
  PATIENT_A,
  redirectParams,
  SERVER_ORIGIN,
} from './authHarness';
import { REPO_ROOT } from './childServer';
import { NOW } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
});
afterAll(async () => server.close());

const [YEAR, MONTH, DAY] = PATIENT_A.birthDate.split('-');

function signInFrom(address: string, patient: { nhi: string; birthDate: string; portalCode: string }) {
  return server.app.inject({
    method: 'POST',
    url: '/auth/authorize',
    remoteAddress: address,
    headers: { ...FORM_HEADERS, origin: SERVER_ORIGIN },
    payload: form({ ...authorizeQuery(), ...credentialFields({ patient }) }),
  });
}

describe("the sign-in page is the app's", () => {
  it('has the name the app has in its title and header', async () => {
    const page = (await server.app.inject({ method: 'GET', url: `/auth/authorize?${form(authorizeQuery())}` })).body;
    const appTitle = /<title>([^<]+)<\/title>/.exec(readFileSync(`${REPO_ROOT}/index.html`, 'utf8'))?.[1];
    expect(appTitle).toBe(PRODUCT_NAME);
    expect(page).toContain(`${PRODUCT_NAME}</span>`);
  });

  it("is styled on the app's own design tokens", async () => {
    const stylesheet = (await server.app.inject({ method: 'GET', url: '/auth/sign-in.css' })).body;
    const tokens = readFileSync(`${REPO_ROOT}/src/styles/tokens.css`, 'utf8');
    expect(stylesheet.startsWith(tokens)).toBe(true);
    expect(stylesheet).toMatch(/\.app-header \{ background: var\(--color-primary\);/);
    expect(stylesheet).toMatch(/button \{[^}]*background: var\(--color-primary\);/);
  });
});

describe('the date of birth, typed day first', () => {
  it.each([`${DAY}/${MONTH}/${YEAR}`, `${Number(DAY)}/${Number(MONTH)}/${YEAR}`, `${DAY}.${MONTH}.${YEAR}`])(
    'signs in with %s',
    async (birthDate) => {
      const params = redirectParams(await signInFrom('198.51.100.30', { ...PATIENT_A, birthDate }));
      expect(params.get('code')).toMatch(/^[\w-]{40,}$/);
    },
  );

  it('answers an impossible date at its field, keeping the NHI, the date and the portal code typed', async () => {
    const impossible = `31/02/${YEAR}`;
    const response = await signInFrom('198.51.100.31', { ...PATIENT_A, birthDate: impossible });
    expect(response.statusCode).toBe(400);
    expect(response.headers['set-cookie']).toBeUndefined();
    const birthDateField = response.body.slice(
      response.body.indexOf('<label for="birth-date">'),
      response.body.indexOf('<label for="portal-code">'),
    );
    expect(birthDateField).toMatch(
      new RegExp(`role="alert">${impossible} is not a date: February ${YEAR} has 2[89] days.</p>`),
    );
    expect(birthDateField).toMatch(
      new RegExp(`<input id="birth-date"[^>]*value="${impossible}"[^>]*aria-invalid="true" autofocus`),
    );
    expect(response.body).toMatch(new RegExp(`<input id="nhi"[^>]*value="${PATIENT_A.nhi}"`));
    expect(response.body).toMatch(new RegExp(`<input id="portal-code"[^>]*value="${PATIENT_A.portalCode}"`));
    expect(response.body).not.toMatch(/<input id="(nhi|portal-code)"[^>]*aria-invalid/);
  });

  it('says the day comes first when the month was typed first', async () => {
    const response = await signInFrom('198.51.100.32', { ...PATIENT_A, birthDate: '07/19/1984' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('07/19/1984 has no month 19. Type the day first, then the month: 19/07/1984.');
  });

  it('never counts a date typed wrong as a failed sign-in: nothing was checked', async () => {
    // More than the 20 failures an address has free, and more than the account's 5.
    for (let attempt = 0; attempt < 25; attempt++)
      expect((await signInFrom('198.51.100.33', { ...PATIENT_A, birthDate: '31/13/1984' })).statusCode).toBe(400);
    expect((await signInFrom('198.51.100.33', PATIENT_A)).statusCode).toBe(302);
  });
});
