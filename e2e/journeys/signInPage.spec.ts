import { PRODUCT_NAME } from '../../domain/product';
import { humanName } from '../../src/lib/format';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { AppShell } from '../pages/AppShell';
import { SignInPage } from '../pages/SignInPage';
import { checkScreen } from '../support/screens';
import { patientCredentials } from '../support/signIn';
import { expect, test } from '../support/test';

// Both projects run this: the page as a patient meets it on a phone (390 px), and at a desk (1280 px).
const PATIENT = 'pat-00007';

test("the clinic's sign-in page is the app's, patient first, with the date of birth typed day first", async ({
  page,
  api,
}, testInfo) => {
  const signIn = new SignInPage(page);
  const shell = new AppShell(page);
  const mine = new AppointmentsPage(page, 'Your appointments');
  const patient = await api.patient(PATIENT);
  const patientName = humanName(patient.name);
  const credentials = patientCredentials(patient);
  const [year, month, day] = credentials.birthDate.split('-');
  const banner = page.getByRole('banner');
  let appHeaderColour = '';

  await test.step('Given the app, asking to sign in, under its name and colour', async () => {
    await page.goto('/');
    await expect(signIn.appSignInButton).toBeVisible();
    await expect(banner).toContainText(PRODUCT_NAME);
    appHeaderColour = await banner.evaluate((header) => getComputedStyle(header).backgroundColor);
  });

  await test.step(`When ${patientName} goes on to the clinic's sign-in page`, async () => {
    await signIn.appSignInButton.click();
    await expect(signIn.patientForm).toBeVisible();
  });

  await test.step('Then it has the same name and colour as the app', async () => {
    await expect(signIn.productName).toBeVisible();
    await expect(page).toHaveTitle(`Sign in - ${PRODUCT_NAME}`);
    expect(await banner.evaluate((header) => getComputedStyle(header).backgroundColor)).toBe(appHeaderColour);
  });

  await test.step("And the patient's form comes first, in view, saying how to get a forgotten portal code", async () => {
    await expect(signIn.patientForm.getByRole('heading', { name: 'Patients' })).toBeInViewport();
    const patients = await signIn.patientForm.boundingBox();
    const staff = await signIn.staffForm.boundingBox();
    // Above the staff form on a phone, beside it on the left at a desk.
    const first = patients!.y + patients!.height <= staff!.y || patients!.x + patients!.width <= staff!.x;
    expect(first, `patients ${JSON.stringify(patients)} before staff ${JSON.stringify(staff)}`).toBe(true);
    await expect(signIn.birthDate).toHaveAccessibleDescription('Day, month and year, like 19/07/1984.');
    await expect(signIn.forgottenCode).toContainText('Phone your clinic or ask at reception');
    await checkScreen(page, testInfo, 'sign-in page');
  });

  await test.step(`When ${patientName} types a date of birth that cannot be, 31/02/${year}, and signs in`, async () => {
    await signIn.fillPatient(credentials, `31/02/${year}`);
    await signIn.sendPatient();
  });

  await test.step('Then the page says what is wrong at the date, with the focus there and nothing typed lost', async () => {
    await expect(signIn.birthDate).toBeFocused();
    await expect(signIn.birthDate).toHaveAttribute('aria-invalid', 'true');
    await expect(signIn.birthDate).toHaveAccessibleDescription(new RegExp(`February ${year} has 2[89] days\\.$`));
    await expect(signIn.birthDate).toHaveValue(`31/02/${year}`);
    await expect(signIn.nhi).toHaveValue(credentials.nhi);
    await expect(signIn.portalCode).toHaveValue(credentials.portalCode);
    await checkScreen(page, testInfo, 'sign-in impossible date');
  });

  await test.step(`When ${patientName} corrects it to ${Number(day)}/${Number(month)}/${year} and signs in`, async () => {
    await signIn.birthDate.fill(`${Number(day)}/${Number(month)}/${year}`);
    await signIn.sendPatient();
  });

  await test.step("Then the app shows the patient's own appointments", async () => {
    await expect(mine.heading).toBeVisible();
    await expect(shell.account).toContainText(patientName);
  });
});
