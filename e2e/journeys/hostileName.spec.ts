import type { Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { BookingPage } from '../pages/BookingPage';
import { FindPatientPage } from '../pages/FindPatientPage';
import { HOSTILE_NAME, HOSTILE_PATIENT } from '../support/hostilePatient';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

// The patient is stored before the server starts (e2e/support/prepareDataDir.ts): the API has no Patient create.
test('a patient named with markup is shown as that literal text on every screen, and no script runs', async ({
  page,
  api,
  dialogs,
}) => {
  const find = new FindPatientPage(page);
  const booking = new BookingPage(page);
  const banner = page.getByRole('region', { name: 'Patient' });
  const practitionerId = 'prac-park';
  const practitionerName = humanName((await api.practitioner(practitionerId)).name);
  let slot: Slot;

  await test.step(`Given a stored patient named ${HOSTILE_NAME} and a free slot`, async () => {
    expect(humanName((await api.patient(HOSTILE_PATIENT.id)).name)).toBe(HOSTILE_NAME);
    slot = await api.firstFreeSlot(practitionerId);
  });

  await test.step(`When the receptionist finds the patient by NHI ${HOSTILE_PATIENT.nhi}`, async () => {
    await signInAsReceptionist(page);
    await find.search(HOSTILE_PATIENT.nhi);
  });

  await test.step('Then the result shows the name as text', async () => {
    await expect(find.results.getByText(HOSTILE_NAME, { exact: true })).toBeVisible();
  });

  await test.step('When she chooses the patient and books a slot', async () => {
    await find.choose(new RegExp(`NHI ${HOSTILE_PATIENT.nhi}`));
    await expect(banner.getByText(HOSTILE_NAME, { exact: true })).toBeVisible();
    await booking.choosePractitioner(practitionerName);
    await booking.chooseSlot(slot);
    await expect(booking.check.getByText(HOSTILE_NAME, { exact: true })).toBeVisible();
    await booking.book();
  });

  await test.step('Then the confirmation and the appointments screen show the name as text too', async () => {
    await expect(booking.confirmation.getByText(HOSTILE_NAME, { exact: true })).toBeVisible();
    await booking.seeAppointments();
    await expect(banner.getByText(HOSTILE_NAME, { exact: true })).toBeVisible();
  });

  await test.step('And no image was made of it and no script ran (no dialog)', async () => {
    await expect(page.getByRole('img')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });
});
