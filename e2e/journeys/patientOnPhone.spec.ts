import type { Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { AppShell } from '../pages/AppShell';
import { expectFact } from '../pages/facts';
import { MyBookingPage } from '../pages/MyBookingPage';
import { SignInPage } from '../pages/SignInPage';
import { slotWhen } from '../support/clinicText';
import { PHONE_ONLY } from '../support/projects';
import { patientCredentials } from '../support/signIn';
import { expect, test } from '../support/test';

const PATIENT = 'pat-00005';
const PRACTITIONER = 'prac-oconnor';

test(
  'a patient on a phone signs in with NHI, date of birth and portal code, books an appointment and cancels it',
  { tag: PHONE_ONLY },
  async ({ page, api }) => {
    const signIn = new SignInPage(page);
    const shell = new AppShell(page);
    const mine = new AppointmentsPage(page, 'Your appointments');
    const booking = new MyBookingPage(page);
    const patient = await api.patient(PATIENT);
    const patientName = humanName(patient.name);
    const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
    let slot: Slot;

    await test.step(`Given ${practitionerName} has a free slot`, async () => {
      slot = await api.firstFreeSlotToChange(PRACTITIONER);
    });

    await test.step(`When ${patientName} opens the app and signs in as a patient`, async () => {
      await signIn.open('/');
      await signIn.signInAsPatient(patientCredentials(patient));
    });

    await test.step('Then she sees her own appointments, signed in as herself', async () => {
      await expect(mine.heading).toBeVisible();
      await expect(shell.account).toContainText(patientName);
    });

    await test.step(`When she books the free time with ${practitionerName}`, async () => {
      await page.getByRole('main').getByRole('link', { name: 'Book an appointment' }).click();
      await expect(booking.heading).toBeVisible();
      await booking.choosePractitioner(practitionerName);
      await booking.chooseTime(slot);
      await expectFact(booking.check, 'When', slotWhen(slot));
      await expectFact(booking.check, 'With', practitionerName);
      await booking.giveReason('Blood pressure check');
      await booking.bookButton.click();
    });

    await test.step('Then it is confirmed, and the server has it booked for her', async () => {
      await expect(booking.confirmation).toBeVisible();
      await expectFact(booking.confirmation, 'Status', 'booked');
      expect(await api.bookedOnSlot(PATIENT, slot)).toHaveLength(1);
    });

    await test.step('And it is among her upcoming appointments', async () => {
      await booking.backToAppointments.click();
      await expect(mine.bookedAt(slot)).toHaveCount(1);
    });

    await test.step('When she cancels it and confirms', async () => {
      await mine.cancel(slot);
    });

    await test.step('Then it is cancelled and the slot is free for someone else', async () => {
      await expect(mine.announcement).toHaveText(/is cancelled\./);
      await expect(mine.bookedAt(slot)).toHaveCount(0);
      expect(await api.bookedOnSlot(PATIENT, slot)).toEqual([]);
      expect((await api.slotNow(slot)).status).toBe('free');
    });
  },
);
