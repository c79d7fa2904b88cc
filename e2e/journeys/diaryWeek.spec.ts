import type { Slot } from 'fhir/r4';
import { clinicDate, DEFAULT_CLINIC_TIME_ZONE, startOfClinicWeek, addClinicDays } from '../../domain/clinicTime';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { formatCalendarDate, formatClinicTime, formatWeek, humanName } from '../../src/lib/format';
import { DiaryPage } from '../pages/DiaryPage';
import { tabTo } from '../support/keyboard';
import { DESK_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const clinic = WELL_KNOWN.location;
const zone = DEFAULT_CLINIC_TIME_ZONE;
const practitionerId = WELL_KNOWN.practitioner.id;
/** Patients no other journey books. */
const keptId = 'pat-00047';
const cancelledId = 'pat-00048';
const unplacedId = 'pat-00049';

function timeOf(slot: Slot): RegExp {
  return new RegExp(formatClinicTime(new Date(slot.start), zone).replace(/\s+/g, '\\s*'));
}

test(`the diary hides cancelled appointments until "Show cancelled", finds one booked without a Location, and shows a practitioner's week, keyboard only ${DESK_ONLY}`, async ({
  page,
  api,
}, testInfo) => {
  test.setTimeout(90_000);
  const diary = new DiaryPage(page);
  const practitionerName = humanName((await api.practitioner(practitionerId)).name);
  const [kept, cancelled, unplaced] = await Promise.all(
    [keptId, cancelledId, unplacedId].map(async (id) => ({ id, name: humanName((await api.patient(id)).name) })),
  );
  // Three free slots on one day, later in the list than other journeys take theirs.
  const free = (await api.freeSlots(practitionerId, 100)).slice(20);
  const day = clinicDate(new Date(free[0].start), zone);
  const [first, second, third] = free.filter((slot) => clinicDate(new Date(slot.start), zone) === day);

  await test.step(`Given on ${day} ${kept.name} is booked, ${cancelled.name} booked and cancelled, and ${unplaced.name} booked without a Location (through the API)`, async () => {
    await api.book(kept.id, practitionerId, first, clinic.id);
    await api.cancel(await api.book(cancelled.id, practitionerId, second, clinic.id));
    // Without a slot and a Location, as another client may book: the server has nothing to say where, so only asking by practitioner finds it.
    const stored = await api.bookAt(unplaced.id, practitionerId, new Date(third.start), new Date(third.end));
    expect(stored.participant.some((participant) => participant.actor?.reference?.startsWith('Location/'))).toBe(false);
  });

  await test.step('When the receptionist opens that day, the cancelled one is hidden and counted, the others are in the column', async () => {
    await signInAsReceptionist(page);
    await diary.goto({ location: clinic.id, date: day });
    await expect(diary.appointment(practitionerName, timeOf(first), kept.name)).toBeVisible();
    await expect(diary.appointment(practitionerName, timeOf(third), unplaced.name)).toContainText(
      'Location not recorded',
    );
    await expect(diary.appointment(practitionerName, timeOf(second), cancelled.name)).toHaveCount(0);
    await expect(page.getByText(/^\d+ cancelled appointments? hidden\.$/)).toBeVisible();
  });

  await test.step('When she ticks "Show cancelled" with the keyboard, the cancelled appointment shows, marked so; unticking hides it again', async () => {
    await tabTo(page, diary.showCancelled);
    await page.keyboard.press('Space');
    await expect(diary.showCancelled).toBeChecked();
    await expect(diary.appointment(practitionerName, timeOf(second), cancelled.name)).toContainText('Cancelled');
    await expect(page.getByText(/cancelled appointments? hidden/)).toHaveCount(0);
    await checkScreen(page, testInfo, 'diary cancelled shown');
    await page.keyboard.press('Space');
    await expect(diary.appointment(practitionerName, timeOf(second), cancelled.name)).toHaveCount(0);
  });

  await test.step(`When she follows "Week" of ${practitionerName}, the week has a region per day with the appointments in place`, async () => {
    await diary.weekOf(practitionerName).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/view=week/);
    await expect(page).toHaveURL(new RegExp(`practitioner=${practitionerId}`));
    await expect(
      page.getByRole('heading', { level: 2, name: `${clinic.name}, ${formatWeek(startOfClinicWeek(day))}` }),
    ).toBeVisible();
    const dayColumn = diary.column(formatCalendarDate(day));
    await expect(
      dayColumn.getByRole('article', { name: new RegExp(`^${timeOf(first).source}, ${kept.name}$`) }),
    ).toBeVisible();
    await expect(
      dayColumn.getByRole('article', { name: new RegExp(`^${timeOf(third).source}, ${unplaced.name}$`) }),
    ).toContainText('Booked');
    await checkScreen(page, testInfo, 'diary week');
  });

  await test.step('And "Next week" and "Previous week" step a week, and "Whole clinic" goes back to the day of everyone there', async () => {
    await page.getByRole('button', { name: 'Next week' }).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${addClinicDays(day, 7)}`));
    await page.getByRole('button', { name: 'Previous week' }).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${day}`));
    await diary.wholeClinic.focus();
    await page.keyboard.press('Enter');
    await expect(page).not.toHaveURL(/view=week/);
    await expect(diary.column(practitionerName)).toBeVisible();
  });

  await test.step('And the day and the place change from the keyboard too: "Next day", "Previous day", "Today" and the "Location" select', async () => {
    await diary.nextDay.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${addClinicDays(day, 1)}`));
    await diary.previousDay.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${day}`));
    await diary.today.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${clinicDate(new Date(), zone)}`));
    const places = await diary.locationSelect.locator('option').allTextContents();
    await diary.locationSelect.focus();
    await page.keyboard.press(places.indexOf(clinic.name) < places.length - 1 ? 'ArrowDown' : 'ArrowUp');
    await expect(page).not.toHaveURL(new RegExp(`location=${clinic.id}`));
    await expect(
      page.getByRole('heading', {
        level: 2,
        name: new RegExp(`^${(await diary.locationSelect.locator('option:checked').textContent()) ?? ''}, `),
      }),
    ).toBeVisible();
  });
});
