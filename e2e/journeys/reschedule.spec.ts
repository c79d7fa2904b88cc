import type { Appointment, Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { expectFact } from '../pages/facts';
import { RescheduleDialog } from '../pages/RescheduleDialog';
import { slotWhen } from '../support/clinicText';
import { checkScreen, checkScreenAtDoubleZoom } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const PRACTITIONER = 'prac-parata';

async function openAppointments(page: import('@playwright/test').Page, patientId: string): Promise<AppointmentsPage> {
  await signInAsReceptionist(page);
  await page.goto(`/appointments?patient=${patientId}`);
  const appointments = new AppointmentsPage(page);
  await expect(appointments.heading).toBeVisible();
  return appointments;
}

test('the receptionist moves a booked appointment to another time of the same practitioner with one confirmation, by keyboard', async ({
  page,
  api,
}, testInfo) => {
  // Two axe-core runs (1280 px and 200 %) over a dialog holding a week of slots take a while on a busy machine.
  test.setTimeout(60_000);
  const patientId = 'pat-00041';
  const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
  const reschedule = new RescheduleDialog(page);
  let booked: Appointment;
  let from: Slot;
  let to: Slot;

  await test.step(`Given the patient is booked with ${practitionerName}, who has another free slot`, async () => {
    [from, to] = await api.freeSlots(PRACTITIONER);
    booked = await api.book(patientId, PRACTITIONER, from);
  });

  const appointments = await openAppointments(page, patientId);

  await test.step('When she presses "Reschedule" on it, the dialog offers the same practitioner\'s free times', async () => {
    await appointments.rescheduleButton(from).press('Enter');
    await expect(reschedule.dialog).toBeVisible();
    await expect(reschedule.practitionerField).toHaveValue(practitionerName);
    await expect(reschedule.slotSection).toBeVisible();
    await checkScreen(page, testInfo, 'reschedule dialog');
    await checkScreenAtDoubleZoom(page, testInfo, 'reschedule dialog');
  });

  await test.step('And she chooses the other free time and presses "Move appointment"', async () => {
    await reschedule.chooseSlot(to);
    await expectFact(reschedule.dialog, 'New time', new RegExp(`${slotWhen(to).source}.*with ${practitionerName}`));
    await reschedule.moveButton.press('Enter');
  });

  await test.step('Then the list says it moved, shows it at the new time, and the old one under "Cancelled"', async () => {
    await expect(reschedule.dialog).toBeHidden();
    await expect(appointments.announcement).toHaveText(/The appointment is moved to/);
    await expect(appointments.bookedAt(to)).toHaveCount(1);
    await expect(appointments.bookedAt(from)).toHaveCount(0);
    await expect(appointments.cancelledAt(from).first()).toBeVisible();
  });

  await test.step('And on the server the old one is cancelled, the new one booked on the new slot, and the old slot free again', async () => {
    expect((await api.appointment(booked.id as string)).status).toBe('cancelled');
    expect(await api.bookedOnSlot(patientId, to)).toHaveLength(1);
    expect((await api.slotNow(from)).status).toBe('free');
  });
});

test('a reschedule whose chosen time is taken meanwhile says which time was lost, keeps the appointment, and moves to another', async ({
  page,
  api,
}) => {
  const patientId = 'pat-00042';
  const otherPatient = 'pat-00043';
  const reschedule = new RescheduleDialog(page);
  let booked: Appointment;
  let from: Slot;
  let wanted: Slot;
  let other: Slot;

  await test.step('Given the patient is booked, and the practitioner has two more free slots', async () => {
    [from, wanted, other] = await api.freeSlots(PRACTITIONER);
    booked = await api.book(patientId, PRACTITIONER, from);
  });

  const appointments = await openAppointments(page, patientId);

  await test.step('And the receptionist has chosen a new time in the reschedule dialog', async () => {
    await appointments.rescheduleButton(from).click();
    await reschedule.chooseSlot(wanted);
  });

  await test.step('When another receptionist books that time through the API, and she presses "Move appointment"', async () => {
    await api.book(otherPatient, PRACTITIONER, wanted);
    await reschedule.moveButton.click();
  });

  await test.step('Then the message names the time that was lost, has the focus, and says nothing changed', async () => {
    await expect(reschedule.problem).toContainText(
      new RegExp(`The time you chose, ${slotWhen(wanted).source}.*was booked by someone else a moment ago`),
    );
    await expect(reschedule.problem).toContainText('Nothing has changed');
    await expect(page.locator(':focus')).toContainText('The time you chose');
    await expect(reschedule.slotRadio(wanted)).toHaveCount(0);
    expect((await api.appointment(booked.id as string)).status).toBe('booked');
  });

  await test.step('When she chooses another free time and moves it', async () => {
    await reschedule.chooseSlot(other);
    await reschedule.moveButton.click();
  });

  await test.step('Then it is moved there, and the lost time stays with the other patient', async () => {
    await expect(reschedule.dialog).toBeHidden();
    await expect(appointments.bookedAt(other)).toHaveCount(1);
    expect((await api.appointment(booked.id as string)).status).toBe('cancelled');
    expect(await api.bookedOnSlot(patientId, other)).toHaveLength(1);
    expect(await api.bookedOnSlot(otherPatient, wanted)).toHaveLength(1);
  });
});
