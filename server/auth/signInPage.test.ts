/** The sign-in page as HTML: the patient's form first, the product's name, and where a failure is shown. */
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAME } from '../../domain/product';
import { signInPage, type SignInPageModel } from './signInPage';

const MODEL: SignInPageModel = {
  request: { client_id: 'app', state: 'state-1' },
  formAction: '/auth/authorize',
  stylesheet: '/auth/sign-in.css',
};

/** The opening tag of the input with this id. */
const input = (page: string, id: string) => new RegExp(`<input id="${id}"[^>]*>`).exec(page)?.[0] ?? '';

describe('signInPage', () => {
  it("puts the patient's form before the staff form, under the product's name", () => {
    const page = signInPage(MODEL);
    expect(page.indexOf('id="patient-heading"')).toBeGreaterThan(0);
    expect(page.indexOf('id="patient-heading"')).toBeLessThan(page.indexOf('id="staff-heading"'));
    expect(page).toContain(`<title>Sign in - ${PRODUCT_NAME}</title>`);
    expect(page).toMatch(new RegExp(`<span class="brand">.*${PRODUCT_NAME}</span>`));
  });

  it('asks for the date of birth as typed text in NZ order, and says how to get a forgotten portal code', () => {
    const page = signInPage(MODEL);
    expect(input(page, 'birth-date')).toMatch(/type="text" autocomplete="bday"/);
    expect(page).toContain('<p class="hint" id="birth-date-hint">Day, month and year, like 19/07/1984.</p>');
    const patientSection = page.slice(page.indexOf('id="patient-heading"'), page.indexOf('id="staff-heading"'));
    expect(patientSection).toMatch(/Forgot your portal code\?<\/strong> Phone your clinic or ask at reception/);
  });

  it('marks every field of the form that failed as a whole, focusing its first, and keeps no code', () => {
    const page = signInPage({
      ...MODEL,
      failure: { as: 'patient', message: 'Those details do not match.' },
      typed: { nhi: 'ZAC5361', birthDate: '19/07/1984' },
    });
    expect(page).toContain('<p class="error" id="patient-error" role="alert">Those details do not match.</p>');
    expect(input(page, 'nhi')).toMatch(
      /value="ZAC5361" aria-describedby="nhi-hint patient-error" aria-invalid="true" autofocus/,
    );
    expect(input(page, 'birth-date')).toMatch(/value="19\/07\/1984"[^>]*aria-invalid="true"/);
    expect(input(page, 'birth-date')).not.toContain('autofocus');
    expect(input(page, 'portal-code')).not.toContain('value=');
    expect(input(page, 'username')).not.toContain('aria-invalid');
  });

  it('shows a failure at its one field, there only, with everything typed kept', () => {
    const page = signInPage({
      ...MODEL,
      failure: { as: 'patient', message: '31/02/1984 is not a date.', field: 'birth-date' },
      typed: { nhi: 'ZAC5361', birthDate: '31/02/1984', portalCode: 'N5BD-DP95' },
    });
    const birthDateField = page.slice(
      page.indexOf('<label for="birth-date">'),
      page.indexOf('<label for="portal-code">'),
    );
    expect(birthDateField).toContain('<p class="error" id="patient-error" role="alert">31/02/1984 is not a date.</p>');
    expect(page.match(/role="alert"/g)).toHaveLength(1);
    expect(input(page, 'birth-date')).toMatch(
      /value="31\/02\/1984" aria-describedby="birth-date-hint patient-error" aria-invalid="true" autofocus/,
    );
    expect(input(page, 'nhi')).toMatch(/value="ZAC5361" aria-describedby="nhi-hint"/);
    expect(input(page, 'nhi')).not.toMatch(/aria-invalid|autofocus/);
    expect(input(page, 'portal-code')).toContain('value="N5BD-DP95"');
  });

  it('escapes what was typed', () => {
    const page = signInPage({
      ...MODEL,
      failure: { as: 'patient', message: '<b>"x"</b> is not a date.', field: 'birth-date' },
      typed: { birthDate: '"><script>', portalCode: '<i>' },
    });
    expect(page).not.toMatch(/<script|<b>|<i>/);
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;"');
  });
});
