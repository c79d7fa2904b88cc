/**
 * The app on a FHIR R4 server nobody here wrote: Medplum's router over its in-memory repository,
 * started by this test with the demo data stored through its own API, and the built app served with a
 * config.json that points at it. That server keeps no booking rules, ignores `_include`, publishes no
 * SMART configuration, and its schedules name their location by reference alone.
 */
import { join } from 'node:path';
import type { Appointment, Bundle, Schedule, Slot } from 'fhir/r4';
import { clinicDate } from '../../domain/clinicTime';
import { buildDemoData, WELL_KNOWN } from '../../server/seed/demoData';
import { humanName } from '../../src/lib/format';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { BookingPage } from '../pages/BookingPage';
import { DiaryPage } from '../pages/DiaryPage';
import { expectFact } from '../pages/facts';
import { FindPatientPage } from '../pages/FindPatientPage';
import { CLINIC_TIME_ZONE, slotTimeName } from '../support/clinicText';
import {
  r4Problems,
  seedThroughApi,
  startForeignFhirServer,
  type ForeignFhirServer,
} from '../support/foreignFhirServer';
import { DESK_ONLY } from '../support/projects';
import { serveApp, type StaticApp } from '../support/staticApp';
import { expect, test } from '../support/test';

const hemi = WELL_KNOWN.patientWithMacron;
const hemiName = `${hemi.given} ${hemi.family}`;
const ponsonby = WELL_KNOWN.location;

let fhir: ForeignFhirServer;
let app: StaticApp;
let slot: Slot;
let practitionerName: string;

/** Another system's schedules often name their actors by reference only: no display to fall back on. */
function withoutDisplays(schedule: Schedule): Schedule {
  return { ...schedule, actor: schedule.actor.map((actor) => ({ reference: actor.reference })) };
}

test.beforeAll(async () => {
  const config: Record<string, unknown> = { timeZone: CLINIC_TIME_ZONE };
  app = await serveApp(join(import.meta.dirname, '..', '..', 'dist'), config);
  fhir = await startForeignFhirServer(app.url);
  config.fhirBaseUrl = fhir.baseUrl;
  const data = buildDemoData({
    today: clinicDate(new Date(), CLINIC_TIME_ZONE),
    timeZone: CLINIC_TIME_ZONE,
    patients: 12,
    weeks: 2,
  });
  await seedThroughApi(fhir, [
    ...data.patients,
    ...data.practitioners,
    ...data.locations,
    ...data.schedules.map(withoutDisplays),
    ...data.slots,
    ...data.appointments,
  ]);
  const tomorrow = Date.now() + 24 * 60 * 60_000;
  const free = data.slots
    .filter(
      (candidate) =>
        candidate.schedule.reference === `Schedule/${WELL_KNOWN.practitioner.schedule}` &&
        candidate.status === 'free' &&
        Date.parse(candidate.start) > tomorrow,
    )
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  slot = free[0];
  const practitioner = data.practitioners.find((found) => found.id === WELL_KNOWN.practitioner.id);
  practitionerName = humanName(practitioner?.name);
});

test.afterAll(async () => {
  await app?.close();
  await fhir?.close();
});

/** What the server holds now, read through its API. */
async function slotNow(): Promise<Slot> {
  return (await fhir.request('GET', `Slot/${slot.id}`)).body as Slot;
}

async function appointmentsOnSlot(): Promise<Appointment[]> {
  const bundle = (await fhir.request('GET', `Appointment?slot=Slot/${slot.id}`)).body as Bundle<Appointment>;
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
}

test(`the receptionist books, lists and cancels on a foreign FHIR server (Medplum in memory) ${DESK_ONLY}`, async ({
  page,
}) => {
  const find = new FindPatientPage(page);
  const booking = new BookingPage(page);
  const appointments = new AppointmentsPage(page);
  const diary = new DiaryPage(page);

  await test.step('Given the app opens against a server that asks for no sign-in', async () => {
    await page.goto(app.url);
    await expect(find.heading).toBeVisible();
  });

  await test.step(`When the receptionist finds ${hemiName} by name and chooses her`, async () => {
    await find.search(hemi.family);
    await find.choose(new RegExp(`${hemiName}.*NHI ${hemi.nhi}`));
    await expect(booking.heading).toBeVisible();
  });

  await test.step(`And chooses ${practitionerName} and a free slot: the place is named from its Location, not its id`, async () => {
    await booking.choosePractitioner(practitionerName);
    await booking.chooseSlot(slot);
    await expectFact(booking.check, 'Location', ponsonby.name);
    await booking.book();
  });

  await test.step('Then it is booked, and the server holds one valid R4 Appointment with the slot end and named actors', async () => {
    await expect(booking.confirmation).toBeVisible();
    await expectFact(booking.confirmation, 'Status', 'booked');
    const [appointment] = await appointmentsOnSlot();
    expect(appointment).toMatchObject({ status: 'booked', start: slot.start, end: slot.end });
    expect(r4Problems(appointment)).toEqual([]);
    const location = appointment.participant.find((found) => found.actor?.reference === `Location/${ponsonby.id}`);
    expect(location?.actor?.display).toBe(ponsonby.name);
    expect((await slotNow()).status).toBe('busy');
  });

  await test.step("And it is listed among the patient's appointments, with the practitioner and place by name", async () => {
    await booking.seeAppointments();
    await expect(appointments.bookedAt(slot)).toHaveCount(1);
    await expect(appointments.bookedAt(slot)).toContainText(`${practitionerName} · ${ponsonby.name}`);
  });

  await test.step(`And the day's diary at ${ponsonby.name} shows it in ${practitionerName}'s column`, async () => {
    const day = clinicDate(new Date(slot.start), CLINIC_TIME_ZONE);
    await page.goto(`${app.url}/diary?${new URLSearchParams({ location: ponsonby.id, date: day })}`);
    await expect(diary.heading).toBeVisible();
    // A card is named by its time and patient: "9:00 am, Hēmi Te Rangi".
    const time = slotTimeName(slot).source.replace(/^\^|\$$/g, '');
    const card = diary
      .column(practitionerName)
      .getByRole('article', { name: new RegExp(`^${time}, ${hemiName}$`, 'i') });
    await expect(card).toBeVisible();
    await page.goBack();
    await expect(appointments.heading).toBeVisible();
  });

  await test.step('When she cancels it', async () => {
    await appointments.cancel(slot);
  });

  await test.step('Then it is listed as cancelled, still valid R4 on the server, and the slot is free again', async () => {
    await expect(appointments.cancelledAt(slot).first()).toBeVisible();
    await expect(appointments.bookedAt(slot)).toHaveCount(0);
    const [appointment] = await appointmentsOnSlot();
    expect(appointment.status).toBe('cancelled');
    expect(r4Problems(appointment)).toEqual([]);
    expect((await slotNow()).status).toBe('free');
  });
});
