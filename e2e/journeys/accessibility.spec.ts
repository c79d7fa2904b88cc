import type { Slot } from 'fhir/r4';
import { clinicDate, DEFAULT_CLINIC_TIME_ZONE } from '../../domain/clinicTime';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { formatClinicTime, humanName } from '../../src/lib/format';
import { DEFAULT_DEMO_STAFF_PASSWORD, DEMO_STAFF_USERNAME } from '../../server/auth/demoAccounts';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { BookingPage } from '../pages/BookingPage';
import { DiaryPage } from '../pages/DiaryPage';
import { FindPatientPage } from '../pages/FindPatientPage';
import { MyBookingPage } from '../pages/MyBookingPage';
import { SignInPage } from '../pages/SignInPage';
import { checkScreen, checkScreenAtDoubleZoom } from '../support/screens';
import { patientCredentials, signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

// Both projects run these: every screen at 1280 px and at 390 px, checked by axe-core and kept as a screenshot.

test("every screen on the receptionist's way has no axe-core violations", async ({ page, api }, testInfo) => {
  const signIn = new SignInPage(page);
  const find = new FindPatientPage(page);
  const booking = new BookingPage(page);
  const appointments = new AppointmentsPage(page);
  const patientId = 'pat-00030';
  const practitionerId = 'prac-whitaker';
  const patientName = humanName((await api.patient(patientId)).name);
  const practitionerName = humanName((await api.practitioner(practitionerId)).name);
  const slot: Slot = await api.firstFreeSlot(practitionerId);

  await test.step('The app asking to sign in', async () => {
    await page.goto('/');
    await expect(signIn.appSignInButton).toBeVisible();
    await checkScreen(page, testInfo, 'app sign-in');
  });

  await test.step("The clinic's sign-in page, and the same page after a wrong password", async () => {
    await signIn.appSignInButton.click();
    await expect(signIn.staffForm).toBeVisible();
    await checkScreen(page, testInfo, 'clinic sign-in page');
    // Another username than the receptionist's, so her account is never rested for failures.
    await signIn.signInAsStaff(`nobody-${testInfo.project.name}`, 'not-the-password');
    await expect(signIn.staffForm.getByRole('alert')).toBeVisible();
    await checkScreen(page, testInfo, 'clinic sign-in failed');
    await signIn.signInAsStaff(DEMO_STAFF_USERNAME, DEFAULT_DEMO_STAFF_PASSWORD);
  });

  await test.step('Find a patient: empty, then with results', async () => {
    await expect(find.heading).toBeVisible();
    await checkScreen(page, testInfo, 'find patient');
    await find.search(patientName);
    await expect(find.result(new RegExp(`^${patientName}`))).toBeVisible();
    await checkScreen(page, testInfo, 'find patient results');
  });

  await test.step('Book: nothing chosen and "Book appointment" pressed, so the form says what is missing', async () => {
    await find.choose(new RegExp(`^${patientName}`));
    await expect(booking.heading).toBeVisible();
    await booking.book();
    await expect(booking.problem).toBeVisible();
    await checkScreen(page, testInfo, 'book with errors');
  });

  await test.step('Book: practitioner and slot chosen', async () => {
    await booking.choosePractitioner(practitionerName);
    await booking.chooseSlot(slot);
    await checkScreen(page, testInfo, 'book slot chosen');
  });

  await test.step('Booked: the confirmation', async () => {
    await booking.book();
    await expect(booking.confirmation).toBeVisible();
    await checkScreen(page, testInfo, 'booking confirmation');
  });

  await test.step("The patient's appointments, and the cancel dialog", async () => {
    await booking.seeAppointments();
    await expect(appointments.bookedAt(slot)).toBeVisible();
    await checkScreen(page, testInfo, 'appointments');
    await appointments.cancelButton(slot).click();
    await expect(appointments.cancelDialog).toBeVisible();
    await checkScreen(page, testInfo, 'cancel dialog');
    await appointments.reasonSelect.selectOption({ label: 'Patient request' });
    await appointments.confirmCancelButton.click();
    await expect(appointments.announcement).toHaveText(/is cancelled\./);
  });

  await test.step('An address that is not a screen', async () => {
    await page.goto('/no-such-screen');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await checkScreen(page, testInfo, 'not found');
  });
});

test("every screen on a patient's way has no axe-core violations", async ({ page, api }, testInfo) => {
  const signIn = new SignInPage(page);
  const mine = new AppointmentsPage(page, 'Your appointments');
  const booking = new MyBookingPage(page);
  const patient = await api.patient('pat-00006');
  const practitionerId = 'prac-park';
  const practitionerName = humanName((await api.practitioner(practitionerId)).name);
  const slot: Slot = await api.firstFreeSlotToChange(practitionerId);

  await test.step('Your appointments', async () => {
    await signIn.open('/');
    await signIn.signInAsPatient(patientCredentials(patient));
    await expect(mine.heading).toBeVisible();
    await expect(mine.appointments.getByRole('heading', { name: /^Upcoming appointments/ })).toBeVisible();
    await checkScreen(page, testInfo, 'your appointments');
  });

  await test.step('Book: who, then a day and a time', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Book an appointment' }).click();
    await expect(booking.who.getByRole('radio', { name: practitionerName })).toBeVisible();
    await checkScreen(page, testInfo, 'your booking who');
    await booking.choosePractitioner(practitionerName);
    await booking.chooseTime(slot);
    await booking.giveReason('Check-up');
    await checkScreen(page, testInfo, 'your booking time chosen');
  });

  await test.step('Booked: the confirmation', async () => {
    await booking.bookButton.click();
    await expect(booking.confirmation).toBeVisible();
    await checkScreen(page, testInfo, 'your booking confirmation');
  });

  await test.step('Your appointments with the new one, and the cancel dialog', async () => {
    await booking.backToAppointments.click();
    await expect(mine.bookedAt(slot)).toBeVisible();
    await mine.cancelButton(slot).click();
    await expect(mine.cancelDialog).toBeVisible();
    await expect(mine.reasonSelect).toHaveCount(0);
    await checkScreen(page, testInfo, 'your cancel dialog');
    await mine.confirmCancelButton.click();
    await expect(mine.announcement).toHaveText(/is cancelled\./);
  });
});

test('the diary, its appointment detail and the printed day sheet have no axe-core violations, also at 200 % zoom', async ({
  page,
  api,
}, testInfo) => {
  test.setTimeout(120_000);
  const diary = new DiaryPage(page);
  const patient = { id: 'pat-00050', name: humanName((await api.patient('pat-00050')).name) };
  const practitionerId = 'prac-tuilagi';
  const practitionerName = humanName((await api.practitioner(practitionerId)).name);
  // A slot of each project's own, so the desk's and the phone's runs do not book the same one.
  const slot: Slot = (await api.freeSlots(practitionerId, 100))[testInfo.project.name === 'phone' ? 31 : 30];
  const date = clinicDate(new Date(slot.start), DEFAULT_CLINIC_TIME_ZONE);
  const card = diary.appointment(
    practitionerName,
    new RegExp(formatClinicTime(new Date(slot.start), DEFAULT_CLINIC_TIME_ZONE).replace(/\s+/g, '\\s*')),
    patient.name,
  );

  await test.step(`The diary of a day with ${patient.name} booked`, async () => {
    await api.book(patient.id, practitionerId, slot, WELL_KNOWN.location.id);
    await signInAsReceptionist(page);
    await diary.goto({ location: WELL_KNOWN.location.id, date });
    await expect(card).toBeVisible();
    await checkScreen(page, testInfo, 'diary');
    await checkScreenAtDoubleZoom(page, testInfo, 'diary');
  });

  await test.step('The appointment detail with its history', async () => {
    await card.getByRole('button', { name: patient.name }).click();
    const detail = page.getByRole('dialog', { name: `Appointment: ${patient.name}` });
    await expect(detail.getByRole('region', { name: 'History' }).getByRole('listitem')).toHaveText([/^Booked by /]);
    await checkScreen(page, testInfo, 'diary appointment detail');
    await checkScreenAtDoubleZoom(page, testInfo, 'diary appointment detail');
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
  });

  await test.step('The printed day sheet (print media)', async () => {
    await page.emulateMedia({ media: 'print' });
    await expect(diary.daySheet.getByRole('table', { name: practitionerName })).toBeVisible();
    await checkScreen(page, testInfo, 'diary day sheet print');
    await checkScreenAtDoubleZoom(page, testInfo, 'diary day sheet print');
    await page.emulateMedia({ media: 'screen' });
  });
});
