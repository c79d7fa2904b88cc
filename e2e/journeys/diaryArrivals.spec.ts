import type { Appointment } from 'fhir/r4';
import { addClinicDays, clinicDate, clinicInstant, DEFAULT_CLINIC_TIME_ZONE } from '../../domain/clinicTime';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { formatClinicTime, humanName } from '../../src/lib/format';
import { DiaryPage } from '../pages/DiaryPage';
import { tabTo } from '../support/keyboard';
import { DESK_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const clinic = WELL_KNOWN.location;
const zone = DEFAULT_CLINIC_TIME_ZONE;
/** A nurse at the clinic no other journey books, and three patients no other journey uses. */
const practitionerId = 'prac-fifita';
const patientIds = ['pat-00044', 'pat-00045', 'pat-00046'];
const LENGTH_MS = 4 * 60_000;

/** "3:42 pm", spaces matched loosely (ICU versions differ on narrow no-break spaces). */
function timeOf(instant: Date): RegExp {
  return new RegExp(formatClinicTime(instant, zone).replace(/\s+/g, '\\s*'));
}

test(`a day's arrivals: arrived, seen, did not attend and undo on today's appointments, keyboard only, with the waiting count and the history ${DESK_ONLY}`, async ({
  page,
  api,
}, testInfo) => {
  // The first appointment must start, and the diary's clock (renewed every 30 s) see it, before it is marked.
  test.setTimeout(120_000);
  const diary = new DiaryPage(page);
  const practitionerName = humanName((await api.practitioner(practitionerId)).name);
  const [cara, ari, bea] = await Promise.all(
    patientIds.map(async (id) => ({ id, name: humanName((await api.patient(id)).name) })),
  );
  const today = clinicDate(new Date(), zone);
  const dayEnds = clinicInstant(addClinicDays(today, 1), '00:00', zone).getTime();

  // Three 4-minute appointments back to back, starting in a few seconds: the first ("did not attend")
  // has started by the time it is marked, and all are today whatever the hour, because they are booked
  // without a slot (the clinic may) at the first time the nurse and the patients are all free.
  let start = Date.now() + 10_000;
  const taken = await api.takenTimes(
    [`Practitioner/${practitionerId}`, ...patientIds.map((id) => `Patient/${id}`)],
    new Date(start - 3 * 3600_000),
    new Date(dayEnds),
  );
  for (
    let clash = taken.find((time) => time.start < start + 3 * LENGTH_MS && time.end > start);
    clash;
    clash = taken.find((time) => time.start < start + 3 * LENGTH_MS && time.end > start)
  ) {
    start = clash.end;
  }
  test.skip(
    start + 3 * LENGTH_MS > dayEnds,
    "Fewer than 12 free minutes are left of the clinic day: arrivals are marked on the appointment's own day.",
  );
  const at = (index: number) => new Date(start + index * LENGTH_MS);
  const book: Array<{ who: { id: string; name: string }; starts: Date; stored?: Appointment }> = [
    { who: cara, starts: at(0) },
    { who: ari, starts: at(1) },
    { who: bea, starts: at(2) },
  ];
  const card = (index: number) => diary.appointment(practitionerName, timeOf(book[index].starts), book[index].who.name);

  await test.step(`Given ${cara.name}, ${ari.name} and ${bea.name} are booked with ${practitionerName} today (through the API)`, async () => {
    for (const entry of book)
      entry.stored = await api.bookAt(
        entry.who.id,
        practitionerId,
        entry.starts,
        new Date(entry.starts.getTime() + LENGTH_MS),
        clinic.id,
      );
  });

  await test.step("When the receptionist opens today's diary, nobody is waiting and each appointment offers its marks", async () => {
    await signInAsReceptionist(page);
    await diary.goto({ location: clinic.id, date: today });
    await expect(card(1)).toContainText('Booked');
    await expect(diary.waiting).toHaveText('Nobody waiting.');
    await expect(diary.mark(card(1), 'Arrived')).toBeVisible();
    // Not started yet: "did not attend" is not offered before the start (the server refuses it then).
    await expect(diary.mark(card(2), 'Did not attend')).toHaveCount(0);
    await checkScreen(page, testInfo, 'diary arrivals');
  });

  await test.step(`When she marks ${ari.name} arrived with the keyboard, the card says so, the wait starts and the focus moves to "Seen"`, async () => {
    await card(1).getByRole('button', { name: ari.name }).focus();
    await tabTo(page, diary.mark(card(1), 'Arrived'), 5);
    await page.keyboard.press('Enter');
    await expect(card(1)).toContainText(/Waiting \d+ min/);
    await expect(diary.waiting).toHaveText(/^1 waiting, the longest \d+ min\.$/);
    await expect(diary.mark(card(1), 'Seen')).toBeFocused();
    await expect(diary.announcement).toHaveText(`${ari.name} is marked arrived.`);
  });

  await test.step(`And ${bea.name} arrives too: 2 waiting`, async () => {
    await diary.mark(card(2), 'Arrived').focus();
    await page.keyboard.press('Enter');
    await expect(diary.waiting).toHaveText(/^2 waiting, the longest \d+ min\.$/);
  });

  await test.step(`When ${bea.name}'s arrival was a mistake, "Undo" makes it booked again`, async () => {
    await diary.mark(card(2), 'Undo').focus();
    await page.keyboard.press('Enter');
    await expect(diary.mark(card(2), 'Arrived')).toBeFocused();
    await expect(card(2)).toContainText('Booked');
    await expect(diary.waiting).toHaveText(/^1 waiting/);
  });

  await test.step(`When ${ari.name} has been seen, nobody is waiting`, async () => {
    await diary.mark(card(1), 'Seen').focus();
    await page.keyboard.press('Enter');
    await expect(card(1)).toContainText('Seen');
    await expect(diary.mark(card(1), 'Undo')).toHaveCount(0);
    await expect(diary.waiting).toHaveText('Nobody waiting.');
  });

  await test.step(`When ${cara.name}'s start has passed, "Did not attend" is offered, and marking it can be undone`, async () => {
    await expect(diary.mark(card(0), 'Did not attend')).toBeVisible({ timeout: 45_000 });
    await diary.mark(card(0), 'Did not attend').focus();
    await page.keyboard.press('Enter');
    await expect(card(0)).toContainText('Did not attend');
    await expect(diary.mark(card(0), 'Undo')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(card(0)).toContainText('Booked');
  });

  await test.step('Then the server holds each mark', async () => {
    await expect
      .poll(
        async () =>
          await Promise.all(book.map(async (entry) => (await api.appointmentNow(entry.stored?.id ?? '')).status)),
      )
      .toEqual(['booked', 'fulfilled', 'booked']);
  });

  await test.step(`When another desk marks ${bea.name} arrived while this diary still shows her booked, this desk's mark is refused, not overwritten`, async () => {
    // Hold this desk's searches so it cannot see the other desk's change before pressing.
    const held: Array<{ continue: () => Promise<void> }> = [];
    await page.route(/\/fhir\/Appointment\?/, (route) => void held.push(route));
    await api.markStatus(await api.appointmentNow(book[2].stored?.id ?? ''), 'arrived');
    await diary.mark(card(2), 'Arrived').focus();
    await page.keyboard.press('Enter');
    await expect(diary.announcement).toHaveText(
      /Someone else changed this appointment meanwhile, so nothing was marked/,
    );
    await page.unroute(/\/fhir\/Appointment\?/);
    await Promise.all(held.map((route) => route.continue().catch(() => undefined)));
    await expect(card(2)).toContainText(/Waiting \d+ min/);
    await expect(diary.waiting).toHaveText(/^1 waiting/);
  });

  await test.step(`And ${ari.name}'s detail tells the history from the server's Provenance: booked by the API client, arrived and seen by the receptionist`, async () => {
    await card(1).getByRole('button', { name: ari.name }).focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('dialog', { name: `Appointment: ${ari.name}` });
    const history = detail.getByRole('region', { name: 'History' }).getByRole('listitem');
    await expect(history).toHaveText([
      /^Booked by Client e2e-journeys \d+:\d\d\s*[ap]m/,
      /^Arrived by Reception \(demo\) \d+:\d\d\s*[ap]m/,
      /^Seen by Reception \(demo\) \d+:\d\d\s*[ap]m/,
    ]);
    await checkScreen(page, testInfo, 'diary detail with history');
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
  });
});
