import type { Appointment, Location, Slot } from 'fhir/r4';
import { appointmentCalendarUid } from '../../domain/appointmentCalendar';
import { humanName } from '../../src/lib/format';
import { MyAppointmentsPage, timesOf, type AppointmentGroupName } from '../pages/MyAppointmentsPage';
import { RescheduleDialog } from '../pages/RescheduleDialog';
import { SignInPage } from '../pages/SignInPage';
import type { FhirApi } from '../support/fhirApi';
import { PHONE_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { patientCredentials } from '../support/signIn';
import { expect, test } from '../support/test';

// Bookable online (Dr Whitaker's schedule is not), at the Karori clinic.
const PRACTITIONER = 'prac-sharma';
const CLINIC = 'loc-karori';
const MINUTE = 60_000;
/** PATIENT_CANCEL_CUTOFF_MINUTES of the server under test (its default). */
const CUTOFF_MINUTES = 120;

/** What each group should count, from the server's own record of the patient's appointments. */
async function expectedCounts(api: FhirApi, patientId: string): Promise<Record<AppointmentGroupName, number>> {
  const all = await api.appointmentsOf(patientId);
  const now = Date.now();
  const upcoming = all.filter((found) => found.status === 'booked' && Date.parse(found.start ?? '') > now).length;
  const cancelled = all.filter((found) => found.status === 'cancelled').length;
  return { Upcoming: upcoming, Cancelled: cancelled, Past: all.length - upcoming - cancelled };
}

async function expectCounts(mine: MyAppointmentsPage, api: FhirApi, patientId: string): Promise<void> {
  const expected = await expectedCounts(api, patientId);
  await expect(mine.groupHeading('Upcoming')).toHaveText(`Upcoming appointments (${expected.Upcoming})`);
  await expect(mine.groupHeading('Past')).toHaveText(`Past appointments (${expected.Past})`);
  if (expected.Cancelled > 0)
    await expect(mine.groupHeading('Cancelled')).toHaveText(`Cancelled appointments (${expected.Cancelled})`);
}

/** The first time from `from` on, `minutes` long, when neither the practitioner nor the patient is booked. */
async function freeTimeFrom(api: FhirApi, patientId: string, from: number, minutes: number): Promise<Date> {
  const taken = await api.takenTimes(
    [`Practitioner/${PRACTITIONER}`, `Patient/${patientId}`],
    new Date(from - 3 * 60 * MINUTE),
    new Date(from + 6 * 60 * MINUTE),
  );
  let start = from;
  for (
    let clash = taken.find((time) => time.start < start + minutes * MINUTE && time.end > start);
    clash;
    clash = taken.find((time) => time.start < start + minutes * MINUTE && time.end > start)
  )
    start = clash.end;
  return new Date(start);
}

/** Books, as the clinic may without a slot, a quarter of an hour starting about `minutesAhead` from now. */
async function bookSoon(api: FhirApi, patientId: string, minutesAhead: number): Promise<Appointment> {
  const start = await freeTimeFrom(api, patientId, Date.now() + minutesAhead * MINUTE, 15);
  return api.bookAt(patientId, PRACTITIONER, start, new Date(start.getTime() + 15 * MINUTE), CLINIC);
}

function unfolded(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n');
}

test(
  "a patient on a phone sees upcoming apart from past and cancelled, adds one to her calendar, moves one and cancels another; one inside the cut-off gives the clinic's number instead",
  { tag: PHONE_ONLY },
  async ({ page, api }, testInfo) => {
    test.setTimeout(90_000);
    const patientId = 'pat-00055';
    const patient = await api.patient(patientId);
    const mine = new MyAppointmentsPage(page);
    const reschedule = new RescheduleDialog(page);
    let clinic: Location;
    let toMove: Appointment;
    let toCancel: Appointment;
    let soon: Appointment;
    let from: Slot;
    let to: Slot;
    let cancelSlot: Slot;

    await test.step('Given (through the API, as the clinic) she has two appointments ahead, one cancelled, and one starting within the cut-off', async () => {
      clinic = await api.location(CLINIC);
      // None of the demo's own ahead: she may hold 3 booked online, and moving one needs room for the others.
      for (const ahead of await api.appointmentsOf(patientId))
        if (ahead.status === 'booked' && Date.parse(ahead.start ?? '') > Date.now()) await api.cancel(ahead);
      const from2Days = new Date(Date.now() + 2 * 24 * 60 * MINUTE);
      const until = new Date(Date.now() + 14 * 24 * 60 * MINUTE);
      // Only times she is not booked at already (the demo gives patients appointments of their own).
      const taken = await api.takenTimes([`Patient/${patientId}`], from2Days, until);
      const slots = (await api.freeSlotsBetween(PRACTITIONER, from2Days, until)).filter(
        (slot) => !taken.some((time) => time.start < Date.parse(slot.end) && time.end > Date.parse(slot.start)),
      );
      [from, to, cancelSlot] = [slots[0], slots[4], slots[8]];
      const gone = slots[12];
      toMove = await api.book(patientId, PRACTITIONER, from, CLINIC);
      toCancel = await api.book(patientId, PRACTITIONER, cancelSlot, CLINIC);
      await api.cancel(await api.book(patientId, PRACTITIONER, gone, CLINIC));
      soon = await bookSoon(api, patientId, CUTOFF_MINUTES / 2);
    });

    await test.step('When she signs in with her NHI, date of birth and portal code', async () => {
      const signIn = new SignInPage(page);
      await signIn.open('/');
      await signIn.signInAsPatient(patientCredentials(patient));
      await expect(mine.heading).toBeVisible();
    });

    await test.step('Then upcoming (booked only), past and cancelled are apart, each counted as the server has them', async () => {
      await expectCounts(mine, api, patientId);
      await expect(mine.listedAt(from)).toHaveCount(1);
      await expect(mine.cancelledAt(cancelSlot)).toHaveCount(0);
      await checkScreen(page, testInfo, 'your appointments');
    });

    await test.step("And the one within the cut-off says to phone the clinic, with the clinic's number, and offers no Reschedule or Cancel", async () => {
      const phone = clinic.telecom?.find((point) => point.system === 'phone')?.value as string;
      const item = mine.listedAt(timesOf(soon));
      await expect(mine.phoneMessage(timesOf(soon))).toHaveText(
        /until 2 hours before the start: please phone the clinic/,
      );
      await expect(item.getByRole('link', { name: phone })).toHaveAttribute('href', `tel:${phone.replace(/\D/g, '')}`);
      await expect(mine.cancelButton(timesOf(soon))).toHaveCount(0);
      await expect(mine.rescheduleButton(timesOf(soon))).toHaveCount(0);
      await expect(mine.cancelButton(from)).toBeVisible();
      await expect(mine.rescheduleButton(from)).toBeVisible();
      await item.scrollIntoViewIfNeeded();
      await checkScreen(page, testInfo, 'inside the cut-off');
    });

    await test.step("When she adds one to her calendar, the file is the emails' event: its UID, the clinic's street address and a reminder", async () => {
      const { fileName, text } = await mine.downloadCalendar(from);
      expect(fileName).toBe(`appointment-${toMove.id}.ics`);
      const lines = unfolded(text);
      expect(lines).toContain('METHOD:PUBLISH');
      expect(lines).toContain(`UID:${appointmentCalendarUid(toMove.id as string)}`);
      expect(lines).toContain('SEQUENCE:0');
      expect(lines.find((line) => line.startsWith('LOCATION:'))).toContain(clinic.address?.line?.[0]);
      expect(lines).toContain('BEGIN:VALARM');
      expect(lines).toContain('ACTION:DISPLAY');
    });

    await test.step('When she moves one to another free time', async () => {
      await mine.rescheduleButton(from).click();
      await expect(reschedule.dialog).toBeVisible();
      await reschedule.chooseSlot(to);
      await checkScreen(page, testInfo, 'patient reschedules');
      await reschedule.moveButton.click();
      await expect(reschedule.dialog).toBeHidden();
    });

    await test.step('Then it is at the new time, the old one is under Cancelled, and its calendar file updates the same event', async () => {
      await expect(mine.announcement).toHaveText(/The appointment is moved to/);
      await expect(mine.bookedAt(to)).toHaveCount(1);
      await expect(mine.cancelledAt(from)).toHaveCount(1);
      expect((await api.appointment(toMove.id as string)).status).toBe('cancelled');
      const lines = unfolded((await mine.downloadCalendar(to)).text);
      expect(lines).toContain(`UID:${appointmentCalendarUid(toMove.id as string)}`);
      expect(lines).toContain('SEQUENCE:1');
    });

    await test.step('When she cancels another, it moves to Cancelled and the counts follow', async () => {
      await mine.cancel(cancelSlot);
      await expect(mine.announcement).toHaveText(/is cancelled\./);
      await expect(mine.cancelledAt(cancelSlot)).toHaveCount(1);
      expect((await api.appointment(toCancel.id as string)).status).toBe('cancelled');
      await expectCounts(mine, api, patientId);
      await checkScreen(page, testInfo, 'your appointments after changes');
    });
  },
);

test(
  "the page was open while the cut-off passed: the server refuses, and she reads why in her words, with the clinic's number",
  { tag: PHONE_ONLY },
  async ({ page, api }, testInfo) => {
    const patientId = 'pat-00056';
    const patient = await api.patient(patientId);
    const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
    const mine = new MyAppointmentsPage(page);
    let booked: Appointment;
    let clinic: Location;

    await test.step(`Given she is booked with ${practitionerName} an hour and a half from now (inside the 2-hour cut-off)`, async () => {
      clinic = await api.location(CLINIC);
      booked = await bookSoon(api, patientId, 90);
    });

    await test.step('And her page still shows the time from before the cut-off passed (its clock an hour behind)', async () => {
      await page.clock.setFixedTime(new Date(Date.now() - 60 * MINUTE));
      const signIn = new SignInPage(page);
      await signIn.open('/');
      await signIn.signInAsPatient(patientCredentials(patient));
      await expect(mine.heading).toBeVisible();
      await expect(mine.cancelButton(timesOf(booked))).toBeVisible();
    });

    await test.step('When she tries to cancel it', async () => {
      await mine.cancelButton(timesOf(booked)).click();
      await expect(mine.cancelDialog).toBeVisible();
      await mine.confirmCancelButton.click();
    });

    await test.step('Then the dialog says it is too late to cancel online, and to phone the clinic on its number', async () => {
      const phone = clinic.telecom?.find((point) => point.system === 'phone')?.value as string;
      const refusal = mine.cancelDialog.getByRole('alert');
      await expect(refusal).toContainText('It is too late to cancel online.');
      await expect(refusal).toContainText('please phone the clinic');
      await expect(refusal).toContainText(`Phone ${clinic.name} on ${phone}.`);
      await expect(refusal).not.toContainText(/refused|422|server/i);
      await expect(mine.confirmCancelButton).toHaveCount(0);
      await checkScreen(page, testInfo, 'refused past the cut-off');
    });

    await test.step('And once closed, the appointment gives the number in place of Reschedule and Cancel, and is still booked', async () => {
      await mine.cancelDialog.getByRole('button', { name: 'Close' }).click();
      await expect(mine.cancelDialog).toBeHidden();
      await expect(mine.phoneMessage(timesOf(booked))).toBeVisible();
      await expect(mine.cancelButton(timesOf(booked))).toHaveCount(0);
      expect((await api.appointment(booked.id as string)).status).toBe('booked');
      await checkScreen(page, testInfo, 'after the refusal');
    });
  },
);
