import type { Appointment, Communication, Patient, Slot } from 'fhir/r4';
import type { Page } from '@playwright/test';
import { appointmentCalendarUid } from '../../domain/appointmentCalendar';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { humanName } from '../../src/lib/format';
import { AppointmentsPage } from '../pages/AppointmentsPage';
import { MyBookingPage } from '../pages/MyBookingPage';
import { SignInPage } from '../pages/SignInPage';
import type { FhirApi } from '../support/fhirApi';
import { calendarLines, expect, test, type MailWorld } from '../support/mailWorld';
import { PHONE_ONLY } from '../support/projects';
import { patientCredentials } from '../support/signIn';

// Each journey starts its own server and SMTP server (mailWorld): a first start creates the demo data.
test.describe.configure({ timeout: 240_000 });

/** Aroha Ngata has an email address; Dr Parata works where she goes. */
const PATIENT = WELL_KNOWN.patient.id;
const PRACTITIONER = WELL_KNOWN.practitioner.id;

/** The practitioner's first free slot at a time the patient has no other appointment (the demo gives her some). */
async function freeSlotFor(api: FhirApi, patientId: string, practitionerId: string): Promise<Slot> {
  const slots = await api.freeSlots(practitionerId);
  const taken = await api.takenTimes(
    [`Patient/${patientId}`],
    new Date(slots[0].start),
    new Date(slots[slots.length - 1].end),
  );
  const free = slots.find(
    (slot) => !taken.some((time) => time.start < Date.parse(slot.end) && Date.parse(slot.start) < time.end),
  );
  expect(free, `a free slot of ${practitionerId} when ${patientId} is free`).toBeDefined();
  return free as Slot;
}

/** The patient signs in on the phone, books the slot through the screens, and sees it confirmed. */
async function bookOnPhone(page: Page, world: MailWorld, patient: Patient, practitionerName: string, slot: Slot) {
  const signIn = new SignInPage(page);
  const booking = new MyBookingPage(page);
  await signIn.open(`${world.origin()}/`);
  await signIn.signInAsPatient(patientCredentials(patient));
  await expect(new AppointmentsPage(page, 'Your appointments').heading).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Book an appointment' }).click();
  await booking.choosePractitioner(practitionerName);
  await booking.chooseTime(slot);
  await booking.giveReason('Repeat prescription');
  await booking.bookButton.click();
  await expect(booking.confirmation).toBeVisible();
}

function emailOf(patient: Patient): string {
  const email = patient.telecom?.find((point) => point.system === 'email')?.value;
  expect(email, `${patient.id} has an email address`).toBeDefined();
  return email as string;
}

/** The booking's confirmation in the outbox once it is marked sent: from then on it is never sent again. */
async function sentConfirmation(api: FhirApi, appointment: Appointment): Promise<Communication> {
  const confirmation = async () =>
    (await api.communicationsAbout(appointment.id as string)).find(
      (message) => message.category?.[0]?.coding?.[0]?.code === 'booked',
    );
  await expect.poll(async () => (await confirmation())?.status, { timeout: 60_000 }).toBe('completed');
  return (await confirmation()) as Communication;
}

test(
  'a patient books on a phone and the mail server receives exactly one confirmation, with the calendar invitation',
  { tag: PHONE_ONLY },
  async ({ page, mailWorld }) => {
    const api = mailWorld.api();
    const patient = await api.patient(PATIENT);
    const patientName = humanName(patient.name);
    const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
    let slot: Slot;
    let appointment: Appointment;

    await test.step(`Given the clinic's server sends email to the test's mail server, and ${practitionerName} has a free time`, async () => {
      slot = await freeSlotFor(api, PATIENT, PRACTITIONER);
    });

    await test.step(`When ${patientName} signs in on her phone and books it`, async () => {
      await bookOnPhone(page, mailWorld, patient, practitionerName, slot);
      [appointment] = await api.bookedOnSlot(PATIENT, slot);
      expect(appointment).toBeDefined();
    });

    await test.step('Then her confirmation arrives at the mail server, with an invitation for that appointment', async () => {
      const [mail] = await mailWorld.smtp.waitForAccepted(1, 60_000);
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(emailOf(patient));
      expect(mail.subject).toMatch(/^Appointment confirmed/);
      expect(mail.headers.get('x-appointment-id')).toBe(appointment.id);
      expect(calendarLines(mail)).toEqual(
        expect.arrayContaining([
          'METHOD:REQUEST',
          `UID:${appointmentCalendarUid(appointment.id as string)}`,
          'SEQUENCE:0',
        ]),
      );
    });

    await test.step('And the outbox has it sent, and it is the only message that arrived', async () => {
      const sent = await sentConfirmation(api, appointment);
      expect(mailWorld.smtp.accepted).toHaveLength(1);
      expect(sent.identifier?.[0]?.value).toBe(mailWorld.smtp.accepted[0].messageId);
    });
  },
);

test(
  'a confirmation cut off mid-send by a server killed and restarted arrives exactly once',
  { tag: PHONE_ONLY },
  async ({ page, mailWorld }) => {
    const patient = await mailWorld.api().patient(PATIENT);
    const patientName = humanName(patient.name);
    const practitionerName = humanName((await mailWorld.api().practitioner(PRACTITIONER)).name);
    const held = mailWorld.smtp.holdNext();
    let slot: Slot;
    let appointment: Appointment;
    let onTheWire: Awaited<typeof held>;

    await test.step('Given the mail server reads the next message whole and does not answer it', async () => {
      slot = await freeSlotFor(mailWorld.api(), PATIENT, PRACTITIONER);
    });

    await test.step(`When ${patientName} books on her phone, and her confirmation is on the wire`, async () => {
      await bookOnPhone(page, mailWorld, patient, practitionerName, slot);
      [appointment] = await mailWorld.api().bookedOnSlot(PATIENT, slot);
      onTheWire = await held;
      expect(onTheWire.headers.get('x-appointment-id')).toBe(appointment.id);
    });

    await test.step('And the server is killed then (SIGKILL) and started again on the same data directory', async () => {
      await mailWorld.killAndRestart();
      expect(mailWorld.smtp.accepted).toHaveLength(0);
    });

    await test.step('Then the confirmation arrives once, the same message (Message-ID), with its invitation', async () => {
      const [delivered] = await mailWorld.smtp.waitForAccepted(1, 60_000);
      expect(delivered.messageId).toBe(onTheWire.messageId);
      expect(calendarLines(delivered)).toEqual(
        expect.arrayContaining([
          'METHOD:REQUEST',
          `UID:${appointmentCalendarUid(appointment.id as string)}`,
          'SEQUENCE:0',
        ]),
      );
    });

    await test.step('And the outbox has it sent, and no second copy arrived', async () => {
      const sent = await sentConfirmation(mailWorld.api(), appointment);
      expect(sent.identifier?.[0]?.value).toBe(onTheWire.messageId);
      expect(mailWorld.smtp.accepted).toHaveLength(1);
    });
  },
);
