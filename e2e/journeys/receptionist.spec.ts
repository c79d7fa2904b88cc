import type { Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { DEFAULT_DEMO_STAFF_PASSWORD, DEMO_STAFF_USERNAME } from '../../server/auth/demoAccounts';
import { AppShell } from '../pages/AppShell';
import { BookingPage } from '../pages/BookingPage';
import { expectFact } from '../pages/facts';
import { FindPatientPage } from '../pages/FindPatientPage';
import { SignInPage } from '../pages/SignInPage';
import { DESK_ONLY } from '../support/projects';
import { expect, test } from '../support/test';

const PATIENT = 'pat-00020';
const PRACTITIONER = 'prac-sharma';

test(
  'the receptionist signs in on the clinic sign-in page, books for a patient and signs out',
  { tag: DESK_ONLY },
  async ({ page, api }) => {
    const signIn = new SignInPage(page);
    const shell = new AppShell(page);
    const find = new FindPatientPage(page);
    const booking = new BookingPage(page);
    const patientName = humanName((await api.patient(PATIENT)).name);
    const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
    let slot: Slot;

    await test.step(`Given ${practitionerName} has a free slot`, async () => {
      slot = await api.firstFreeSlot(PRACTITIONER);
    });

    await test.step('When the receptionist opens the app, she is asked to sign in', async () => {
      await page.goto('/');
      await expect(signIn.appHeading).toBeVisible();
      await expect(shell.signOutButton).toHaveCount(0);
    });

    await test.step(`And she signs in as staff ("${DEMO_STAFF_USERNAME}") on the clinic's sign-in page`, async () => {
      await signIn.appSignInButton.click();
      await signIn.signInAsStaff(DEMO_STAFF_USERNAME, DEFAULT_DEMO_STAFF_PASSWORD);
    });

    await test.step('Then she is back in the app, signed in, on "Find a patient"', async () => {
      await expect(find.heading).toBeVisible();
      await expect(shell.account).toHaveText('Signed in as Reception (demo)');
    });

    await test.step(`When she finds ${patientName} and books the free slot with ${practitionerName}`, async () => {
      await find.search(patientName);
      await find.choose(new RegExp(`^${patientName}`));
      await booking.choosePractitioner(practitionerName);
      await booking.chooseSlot(slot);
      await booking.book();
    });

    await test.step('Then it is booked for that patient', async () => {
      await expect(booking.confirmation).toBeVisible();
      await expectFact(booking.confirmation, 'Patient', patientName);
      expect(await api.bookedOnSlot(PATIENT, slot)).toHaveLength(1);
    });

    await test.step('When she signs out', async () => {
      await shell.signOutButton.click();
    });

    await test.step('Then the app says she is signed out, and opening it again asks for sign-in', async () => {
      await expect(page.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible();
      await page.goto('/');
      await expect(signIn.appSignInButton).toBeVisible();
    });
  },
);
