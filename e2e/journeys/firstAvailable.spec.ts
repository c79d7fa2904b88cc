import { addClinicDays, clinicDate, clinicInstant, clinicWeekday } from '../../domain/clinicTime';
import { humanName } from '../../src/lib/format';
import { BookingPage } from '../pages/BookingPage';
import { expectFact } from '../pages/facts';
import { FirstAvailablePanel } from '../pages/FirstAvailablePanel';
import { CLINIC_TIME_ZONE, slotDayName, slotTimeName, slotWhen } from '../support/clinicText';
import { checkScreen, checkScreenAtDoubleZoom } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const PATIENT = 'pat-00045';
/** The one in-person GP at Ponsonby: Dr Tuilagi there runs a video clinic, Ana Fifita is a nurse. */
const PRACTITIONER = 'prac-parata';

test('first available: an in-person GP in the afternoon at Ponsonby, looked for from a Saturday, is found in the next week and booked', async ({
  page,
  api,
}, testInfo) => {
  const booking = new BookingPage(page);
  const panel = new FirstAvailablePanel(page);
  const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
  const today = clinicDate(new Date(), CLINIC_TIME_ZONE);
  // The Saturday of next week: nothing is open at the weekend, so the answer is in the week after.
  let saturday = addClinicDays(today, 7);
  while (clinicWeekday(saturday) !== 6) saturday = addClinicDays(saturday, 1);
  const monday = addClinicDays(saturday, 2);
  const afternoons = (
    await api.freeSlotsBetween(
      PRACTITIONER,
      clinicInstant(monday, '12:00', CLINIC_TIME_ZONE),
      clinicInstant(addClinicDays(monday, 5), '00:00', CLINIC_TIME_ZONE),
    )
  ).filter(
    (slot) =>
      new Date(slot.start).getTime() >=
      clinicInstant(clinicDate(new Date(slot.start), CLINIC_TIME_ZONE), '12:00', CLINIC_TIME_ZONE).getTime(),
  );
  const earliest = afternoons[0];

  await test.step('Given the receptionist is booking for a patient', async () => {
    expect(earliest, `a free afternoon of ${practitionerName} in the week of ${monday}`).toBeDefined();
    await signInAsReceptionist(page);
    await booking.goto({ patient: PATIENT });
  });

  await test.step('When she opens "First available" and asks for a GP, in person, in the afternoon, at Ponsonby, from that Saturday', async () => {
    await panel.toggle.focus();
    await page.keyboard.press('Enter');
    await panel.location.selectOption({ label: 'Ponsonby Family Health' });
    await panel.role.selectOption({ label: 'GP' });
    await panel.channel.selectOption({ label: 'In person' });
    await panel.partOfDay.selectOption({ label: 'Afternoon (from 12)' });
    await panel.from.fill(saturday);
  });

  await test.step(`Then the earliest time listed is on the Monday after, ${practitionerName} in person, and every time is an afternoon with her`, async () => {
    await expect(panel.times().first()).toHaveAccessibleName(
      new RegExp(`^${slotTimeName(earliest).source.slice(1, -1)} with ${practitionerName}`, 'i'),
    );
    await expect(panel.results.getByRole('heading', { level: 4 }).first()).toHaveText(slotDayName(earliest));
    await expect(panel.times().first()).toContainText(practitionerName);
    await expect(panel.times().first()).toContainText('In person');
    for (const name of await panel.times().allTextContents()) expect(name).toMatch(/pm with Dr Mere Parata/);
    await expect(panel.summary).toContainText('earliest first');
    await checkScreen(page, testInfo, 'first available');
    await checkScreenAtDoubleZoom(page, testInfo, 'first available');
  });

  await test.step('When she picks it with the keyboard and books', async () => {
    await panel.times().first().press('Enter');
    await expect(page.getByRole('heading', { name: /Check and book/ })).toBeFocused();
    await expectFact(booking.check, 'Practitioner', practitionerName);
    await expectFact(booking.check, 'Location', 'Ponsonby Family Health');
    await expectFact(booking.check, 'Time', slotWhen(earliest));
    await booking.bookButton.press('Enter');
  });

  await test.step('Then that time is booked for the patient', async () => {
    await expect(booking.confirmation).toBeVisible();
    expect(await api.bookedOnSlot(PATIENT, earliest)).toHaveLength(1);
  });
});
