import { expect, type Locator, type Page } from '@playwright/test';
import { writtenNzDate } from '../../domain/birthDate';
import { PRODUCT_NAME } from '../../domain/product';

export interface PatientCredentials {
  nhi: string;
  /** YYYY-MM-DD, as the record has it; typed day first, as a patient here would. */
  birthDate: string;
  portalCode: string;
}

/**
 * Signing in: the app's own "Sign in" screen, then the server's sign-in page (a patient's form first,
 * then clinic staff's), which sends the browser back into the app.
 */
export class SignInPage {
  readonly appHeading: Locator;
  readonly appSignInButton: Locator;
  /** The server page's header, with the product's name as the app shows it. */
  readonly productName: Locator;
  readonly staffForm: Locator;
  readonly patientForm: Locator;
  readonly nhi: Locator;
  readonly birthDate: Locator;
  readonly portalCode: Locator;
  readonly forgottenCode: Locator;

  constructor(readonly page: Page) {
    this.appHeading = page.getByRole('heading', { name: 'Sign in', level: 1 });
    this.appSignInButton = page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true });
    this.productName = page.getByRole('banner').getByText(PRODUCT_NAME, { exact: true });
    this.staffForm = page.getByRole('region', { name: 'Clinic staff' });
    this.patientForm = page.getByRole('region', { name: 'Patients' });
    this.nhi = this.patientForm.getByLabel('NHI number');
    this.birthDate = this.patientForm.getByLabel('Date of birth');
    this.portalCode = this.patientForm.getByLabel('Portal code');
    this.forgottenCode = this.patientForm.getByRole('paragraph').filter({ hasText: /^Forgot your portal code\?/ });
  }

  /** Opens the app at a path (or another server's URL) and follows it to the server's sign-in page. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await this.appSignInButton.click();
    await expect(this.patientForm).toBeVisible();
  }

  async signInAsStaff(username: string, password: string): Promise<void> {
    await this.staffForm.getByLabel('Username').fill(username);
    await this.staffForm.getByLabel('Password').fill(password);
    await this.staffForm.getByRole('button', { name: 'Sign in as staff' }).click();
  }

  /** Types the details as a patient would (the date of birth day first) without sending them. */
  async fillPatient(
    credentials: PatientCredentials,
    typedBirthDate = writtenNzDate(credentials.birthDate),
  ): Promise<void> {
    await this.nhi.fill(credentials.nhi);
    await this.birthDate.fill(typedBirthDate);
    await this.portalCode.fill(credentials.portalCode);
  }

  async sendPatient(): Promise<void> {
    await this.patientForm.getByRole('button', { name: 'Sign in as patient' }).click();
  }

  async signInAsPatient(credentials: PatientCredentials): Promise<void> {
    await this.fillPatient(credentials);
    await this.sendPatient();
  }
}
