import { expect, type Locator, type Page } from '@playwright/test';

export interface PatientCredentials {
  nhi: string;
  /** YYYY-MM-DD, as a date field takes it. */
  birthDate: string;
  portalCode: string;
}

/**
 * Signing in: the app's own "Sign in" screen, then the server's sign-in page (clinic staff or
 * patient), which sends the browser back into the app.
 */
export class SignInPage {
  readonly appHeading: Locator;
  readonly appSignInButton: Locator;
  readonly staffForm: Locator;
  readonly patientForm: Locator;

  constructor(private readonly page: Page) {
    this.appHeading = page.getByRole('heading', { name: 'Sign in', level: 1 });
    this.appSignInButton = page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true });
    this.staffForm = page.getByRole('region', { name: 'Clinic staff' });
    this.patientForm = page.getByRole('region', { name: 'Patients' });
  }

  /** Opens the app at a path and follows it to the server's sign-in page. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await this.appSignInButton.click();
    await expect(this.page.getByRole('heading', { name: 'Sign in to NZ Appointments' })).toBeVisible();
  }

  async signInAsStaff(username: string, password: string): Promise<void> {
    await this.staffForm.getByLabel('Username').fill(username);
    await this.staffForm.getByLabel('Password').fill(password);
    await this.staffForm.getByRole('button', { name: 'Sign in as staff' }).click();
  }

  async signInAsPatient(credentials: PatientCredentials): Promise<void> {
    await this.patientForm.getByLabel('NHI number').fill(credentials.nhi);
    await this.patientForm.getByLabel('Date of birth').fill(credentials.birthDate);
    await this.patientForm.getByLabel('Portal code').fill(credentials.portalCode);
    await this.patientForm.getByRole('button', { name: 'Sign in as patient' }).click();
  }
}
