import type { Appointment, Slot } from 'fhir/r4';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { checkScreen, checkScreenAtDoubleZoom } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const PATIENT = 'pat-00044';
const PRACTITIONER = 'prac-park';

test('the receptionist cancels with a reason ("Other" needs a note), by keyboard; the server keeps the reason where it offers $cancel', async ({
  page,
  api,
}, testInfo) => {
  const appointments = new AppointmentsPage(page);
  let slot: Slot;
  let booked: Appointment;
  let keepsReasons = false;

  await test.step('Given the patient has a booked appointment', async () => {
    slot = await api.firstFreeSlot(PRACTITIONER);
    booked = await api.book(PATIENT, PRACTITIONER, slot);
    keepsReasons = await api.declaresOperation('cancel');
  });

  await test.step('When the receptionist opens the cancel dialog from the keyboard', async () => {
    await signInAsReceptionist(page);
    await page.goto(`/appointments?patient=${PATIENT}`);
    await appointments.cancelButton(slot).press('Enter');
    await expect(appointments.cancelDialog).toBeVisible();
    await expect(appointments.reasonSelect).toBeVisible();
    await checkScreen(page, testInfo, 'cancel with reason');
    await checkScreenAtDoubleZoom(page, testInfo, 'cancel with reason');
  });

  await test.step('And she chooses "Other" and confirms without a note', async () => {
    await appointments.reasonSelect.focus();
    await appointments.reasonSelect.selectOption({ label: 'Other (say why in a note)' });
    await appointments.confirmCancelButton.press('Enter');
  });

  await test.step('Then the note is asked for and has the focus, and nothing is cancelled yet', async () => {
    await expect(appointments.noteField).toBeFocused();
    await expect(appointments.noteField).toHaveAccessibleDescription(/"Other" needs a few words/);
    expect((await api.appointment(booked.id as string)).status).toBe('booked');
  });

  await test.step('When she writes the note and confirms', async () => {
    await appointments.noteField.fill('Family moving to Dunedin');
    await appointments.confirmCancelButton.press('Enter');
  });

  await test.step('Then the appointment is cancelled and listed under "Cancelled", with the reason on the server where it keeps one', async () => {
    await expect(appointments.cancelDialog).toBeHidden();
    await expect(appointments.announcement).toHaveText(/is cancelled\./);
    await expect(appointments.cancelledAt(slot).first()).toBeVisible();
    const stored = await api.appointment(booked.id as string);
    expect(stored.status).toBe('cancelled');
    if (keepsReasons) {
      expect(stored.cancelationReason?.coding?.[0]).toMatchObject({
        system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
        code: 'other',
      });
      expect(stored.cancelationReason?.text).toBe('Family moving to Dunedin');
    }
    expect((await api.slotNow(slot)).status).toBe('free');
  });
});
