import type { Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { AppShell } from '../pages/AppShell';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { BookingPage } from '../pages/BookingPage';
import { expectFact } from '../pages/facts';
import { FindPatientPage } from '../pages/FindPatientPage';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const hemi = WELL_KNOWN.patientWithMacron;
const hemiName = `${hemi.given} ${hemi.family}`;

test('the receptionist finds a patient by name and by NHI, books a free slot, sees it booked, cancels it and the slot is free again', async ({
  page,
  api,
}) => {
  const shell = new AppShell(page);
  const find = new FindPatientPage(page);
  const booking = new BookingPage(page);
  const appointments = new AppointmentsPage(page);
  const practitionerName = humanName((await api.practitioner(WELL_KNOWN.practitioner.id)).name);
  let slot: Slot;

  await test.step(`Given ${practitionerName} has a free slot (read through the API)`, async () => {
    slot = await api.firstFreeSlot(WELL_KNOWN.practitioner.id);
  });

  await test.step('And the receptionist is signed in', async () => {
    await signInAsReceptionist(page);
    await expect(find.heading).toBeVisible();
  });

  await test.step(`When she searches by name "${hemi.family}"`, async () => {
    await find.search(hemi.family);
  });

  await test.step(`Then ${hemiName} is found, with her NHI`, async () => {
    await expect(find.result(new RegExp(`${hemiName}.*NHI ${hemi.nhi}`))).toBeVisible();
  });

  await test.step(`When she searches by NHI ${hemi.nhi} instead`, async () => {
    await find.search(hemi.nhi);
  });

  await test.step('Then that patient is the one result, and she chooses him', async () => {
    await expect(find.results.getByRole('status')).toHaveText('1 patient found.');
    await find.choose(new RegExp(hemiName));
    await expect(booking.heading).toBeVisible();
    await expect(shell.patientBanner).toContainText(hemiName);
  });

  await test.step(`When she chooses ${practitionerName} and the free slot, and books`, async () => {
    await booking.choosePractitioner(practitionerName);
    await booking.chooseSlot(slot);
    await expectFact(booking.check, 'Patient', hemiName);
    await expectFact(booking.check, 'Practitioner', practitionerName);
    await booking.book();
  });

  await test.step('Then the booking is confirmed as the server stored it, and the server has exactly that one', async () => {
    await expect(booking.confirmation).toBeVisible();
    await expectFact(booking.confirmation, 'Status', 'booked');
    await expect.poll(async () => (await api.bookedOnSlot(hemi.id, slot)).length).toBe(1);
    expect((await api.slotNow(slot)).status).toBe('busy');
  });

  await test.step("And it is listed as booked among the patient's appointments", async () => {
    await booking.seeAppointments();
    await expect(appointments.heading).toBeVisible();
    await expect(appointments.bookedAt(slot)).toHaveCount(1);
    await expect(appointments.bookedAt(slot)).toContainText('Booked');
  });

  await test.step('When she cancels it and confirms in the dialog', async () => {
    await appointments.cancel(slot);
  });

  await test.step('Then it is listed as cancelled and the server has no booking on that slot', async () => {
    await expect(appointments.announcement).toHaveText(/is cancelled\./);
    await expect(appointments.bookedAt(slot)).toHaveCount(0);
    await expect(appointments.cancelledAt(slot).first()).toBeVisible();
    expect(await api.bookedOnSlot(hemi.id, slot)).toEqual([]);
  });

  await test.step('And the slot is free again, offered on the booking screen', async () => {
    expect((await api.slotNow(slot)).status).toBe('free');
    await shell.link('Book').click();
    await expect(booking.practitionerField).toHaveValue(practitionerName);
    await expect(booking.slotRadio(slot)).toBeVisible();
    await expect(booking.slotRadio(slot)).not.toBeChecked();
  });
});
