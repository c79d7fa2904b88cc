/**
 * A patient books on a phone as the practice's rules allow (issue 11, item 1): "first available" over
 * a whole week against what the API says is free online, a channel and a reason that are stored, and
 * the server's refusals in the patient's words beside the field they are about. Every screen is
 * checked with axe-core and kept as a 390 px screenshot under .tmp/screenshots/.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { addClinicDays, clinicDate, clinicInstant, startOfClinicWeek } from '../../domain/clinicTime';
import { deliveryChannelOf } from '../../domain/extensions';
import { startChildServer, type ChildServer } from '../../server/test/childServer';
import { formatCalendarDate, humanName } from '../../src/lib/format';
import { expectFact } from '../pages/facts';
import { MyBookingPage } from '../pages/MyBookingPage';
import { SignInPage } from '../pages/SignInPage';
import { CLINIC_TIME_ZONE } from '../support/clinicText';
import { PHONE_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { patientCredentials } from '../support/signIn';
import { expect, test } from '../support/test';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', '.tmp', 'screenshots');
/** Karori: Dr Sharma in person, Dr Whitaker's book kept by reception (two slots a day released), Hine Kereama by telephone. */
const KARORI = 'loc-karori';

/** The axe-core check and screenshot every journey screen gets, and a copy under a name saying which rule it shows. */
async function checkAndKeep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await checkScreen(page, testInfo, name);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${testInfo.project.name}.png`;
  copyFileSync(testInfo.outputPath(file), join(SCREENSHOTS, file));
}

/** The Monday of next clinic week, and the instants that bound that week. */
function nextClinicWeek(): { monday: string; from: Date; to: Date } {
  const monday = addClinicDays(startOfClinicWeek(clinicDate(new Date(), CLINIC_TIME_ZONE)), 7);
  return {
    monday,
    from: clinicInstant(monday, '00:00', CLINIC_TIME_ZONE),
    to: clinicInstant(addClinicDays(monday, 7), '00:00', CLINIC_TIME_ZONE),
  };
}

/** How the day choice names a day: "Monday 7 December (34 times)". */
function dayChoiceName(day: string, count: number): string {
  return `${formatCalendarDate(day)} (${count === 1 ? '1 time' : `${count} times`})`;
}

async function signInAndOpenBooking(page: Page, patient: Parameters<typeof patientCredentials>[0], origin = '') {
  const signIn = new SignInPage(page);
  await signIn.open(`${origin}/`);
  await signIn.signInAsPatient(patientCredentials(patient));
  await page.getByRole('main').getByRole('link', { name: 'Book an appointment' }).click();
  await expect(new MyBookingPage(page).heading).toBeVisible();
}

test.describe('a patient books as the practice allows', { tag: PHONE_ONLY }, () => {
  test('first available with anyone over a whole week lists every day with free online times, as the API has them', async ({
    page,
    api,
  }, testInfo) => {
    const booking = new MyBookingPage(page);
    const patient = await api.patient('pat-00052');
    const week = nextClinicWeek();
    const perDay = new Map<string, number>();

    await test.step('Given the free times patients may book online at Karori next week, fetched page by page from the API', async () => {
      for (const slot of await api.freeOnlineSlotsAt(KARORI, week.from, week.to)) {
        const day = clinicDate(new Date(slot.start), CLINIC_TIME_ZONE);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      expect(perDay.size, 'weekdays with free online times at Karori next week').toBeGreaterThanOrEqual(5);
    });

    await test.step('When the patient asks for first available with anyone at Karori, next week', async () => {
      await signInAndOpenBooking(page, patient);
      await booking.chooseAnyoneAt(KARORI);
      await booking.goToNextWeek();
    });

    await test.step('Then every day the API has free online times is offered, with the same number of times', async () => {
      await expect(booking.days).toBeVisible();
      expect(await booking.dayNames()).toEqual([...perDay].map(([day, count]) => dayChoiceName(day, count)));
    });

    await test.step('And each practitioner is named once above their times, none from another clinic', async () => {
      const names = await booking.times.locator('.time-group__name').allInnerTexts();
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names).size).toBe(names.length);
      const karori = await Promise.all(
        ['prac-sharma', 'prac-whitaker', 'prac-kereama'].map(async (id) =>
          humanName((await api.practitioner(id)).name),
        ),
      );
      for (const name of names) expect(karori).toContain(name);
      await checkAndKeep(page, testInfo, 'first available at one clinic, grouped by practitioner');
    });
  });

  test('the patient chooses telephone and gives a reason; the stored appointment has both', async ({
    page,
    api,
  }, testInfo) => {
    const booking = new MyBookingPage(page);
    const patient = await api.patient('pat-00053');
    const reason = 'Repeat prescription for inhaler';

    await test.step('Given a patient with room for another booking', async () => {
      expect((await api.upcomingBookedFor('pat-00053')).length).toBeLessThan(3);
    });

    await test.step('When she asks for anyone at Karori next week, by telephone', async () => {
      await signInAndOpenBooking(page, patient);
      await booking.chooseAnyoneAt(KARORI);
      await booking.goToNextWeek();
      await booking.chooseChannel('Telephone');
      await checkAndKeep(page, testInfo, 'channel chosen: only telephone times');
    });

    await test.step('And picks the first time, and types a reason too long, which is refused before it is sent', async () => {
      await booking.times.getByRole('radio').first().check();
      await booking.reason.fill('x'.repeat(101));
      await expect(booking.reason).toHaveAccessibleDescription(
        /The reason for the visit can be at most 100 characters; this is 101\./,
      );
      await checkAndKeep(page, testInfo, 'reason over 100 characters, shown before booking');
    });

    await test.step('When she gives a short reason and a comment, and books', async () => {
      await booking.giveReason(reason, 'I am away from Tuesday.');
      await expectFact(booking.check, 'How', 'Telephone');
      await booking.bookButton.click();
    });

    await test.step('Then the confirmation says who, when, where, how and why, in words', async () => {
      await expect(booking.confirmation).toBeVisible();
      await expectFact(booking.confirmation, 'How', 'Telephone');
      await expectFact(booking.confirmation, 'Reason', reason);
      await expectFact(booking.confirmation, 'Where', 'Karori Medical Centre');
      await expect(booking.confirmation).not.toContainText('Appointment/');
      await checkAndKeep(page, testInfo, 'confirmation in words: who, when, where, how, reason');
    });

    await test.step('And the server stored the reason, the comment and the telephone channel', async () => {
      const stored = (await api.upcomingBookedFor('pat-00053')).filter((found) => found.description === reason);
      expect(stored).toHaveLength(1);
      expect(stored[0].comment).toBe('I am away from Tuesday.');
      expect(deliveryChannelOf(stored[0])).toBe('telephone');
    });
  });

  test('a patient already booked at that time with one GP is told so in her words when she tries another', async ({
    page,
    api,
  }, testInfo) => {
    const booking = new MyBookingPage(page);
    const week = nextClinicWeek();
    let patientId = '';
    let other: Slot;

    await test.step('Given a patient with at most one booking to come, so the limit of three is not what refuses her', async () => {
      for (const candidate of ['pat-00054', 'pat-00056', 'pat-00057', 'pat-00058', 'pat-00059', 'pat-00060']) {
        if ((await api.upcomingBookedFor(candidate)).length <= 1) {
          patientId = candidate;
          break;
        }
      }
      expect(patientId, 'a demo patient with at most one booking to come').not.toBe('');
    });

    await test.step('And she is booked with Dr Sharma at a time Dr Parata is free too', async () => {
      const parata = await api.freeSlotsBetween('prac-parata', week.from, week.to);
      const sharma = await api.freeSlotsBetween('prac-sharma', week.from, week.to);
      const both = sharma.find((slot) => parata.some((free) => Date.parse(free.start) === Date.parse(slot.start)));
      expect(both, 'a time next week both GPs are free').toBeDefined();
      other = parata.find((free) => Date.parse(free.start) === Date.parse(both?.start ?? '')) as Slot;
      await api.book(patientId, 'prac-sharma', both as Slot, KARORI);
    });

    await test.step('When she tries to book Dr Parata at the same time', async () => {
      await signInAndOpenBooking(page, await api.patient(patientId));
      await booking.choosePractitioner(humanName((await api.practitioner('prac-parata')).name));
      await booking.chooseTime(other);
      await booking.giveReason('Second opinion');
      await booking.bookButton.click();
    });

    await test.step('Then it is not booked, and the time says why in her words', async () => {
      await expect(booking.outcome).toContainText('The appointment was not booked.');
      await expect(booking.howAndWhen).toHaveAccessibleDescription(
        /^You already have an appointment booked at .+ \(with this or another practitioner\): choose another time\.$/,
      );
      expect(await api.bookedOnSlot(patientId, other)).toEqual([]);
      await checkAndKeep(page, testInfo, 'refused: already booked at that time with another GP');
    });
  });

  test.describe('at a practice whose online bookings close 7 days ahead', () => {
    let server: ChildServer;
    const dataDir = join(import.meta.dirname, '..', '..', '.tmp', 'e2e-notice-data');

    test.beforeAll(async () => {
      test.setTimeout(180_000);
      rmSync(dataDir, { recursive: true, force: true });
      server = await startChildServer({
        dataDir,
        env: { BOOKING_MIN_NOTICE_MINUTES: String(7 * 24 * 60) },
        startTimeoutMs: 150_000,
      });
    });
    test.afterAll(async () => {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('a time inside the notice is refused, and the time says why in the patient’s words', async ({
      page,
      api,
    }, testInfo) => {
      const booking = new MyBookingPage(page);
      let slot: Slot;
      const read = async <T>(path: string): Promise<T> => {
        const response = await fetch(`${server.origin}/fhir/${path}`, { headers: server.headers });
        expect(response.status, path).toBe(200);
        return (await response.json()) as T;
      };

      await test.step('Given a free time of Dr Sharma inside the seven days’ notice', async () => {
        const from = encodeURIComponent(new Date(Date.now() + 60 * 60_000).toISOString());
        const bundle = await read<{ entry?: Array<{ resource: Slot }> }>(
          `Slot?schedule.actor=Practitioner/prac-sharma&status=free&start=ge${from}&_count=20`,
        );
        const found = (bundle.entry ?? [])
          .map((entry) => entry.resource)
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
        expect(found, 'a free slot of Dr Sharma').toBeDefined();
        expect(Date.parse(found.start) - Date.now()).toBeLessThan(7 * 24 * 60 * 60_000);
        slot = found;
      });

      await test.step('When a patient chooses it, gives a reason and books', async () => {
        await signInAndOpenBooking(page, await read('Patient/pat-00055'), server.origin);
        await booking.choosePractitioner(humanName((await api.practitioner('prac-sharma')).name));
        await booking.chooseTime(slot);
        await booking.giveReason('Sore throat');
        await booking.bookButton.click();
      });

      await test.step('Then it is not booked, and the time explains the notice in words she can act on', async () => {
        await expect(booking.outcome).toContainText('The appointment was not booked.');
        await expect(booking.howAndWhen).toHaveAccessibleDescription(
          'Online bookings close 7 days before the start: choose a later time, or phone the clinic.',
        );
        await checkAndKeep(page, testInfo, 'refused: inside the notice period, shown beside the time');
      });
    });
  });
});
