/**
 * The emails an appointment write queues, inside the write's own transaction (a transactional
 * outbox): a booking, a reschedule and a cancellation each queue one message to the patient's email
 * (Patient.telecom, system email), and a booking a reminder REMINDER_HOURS_BEFORE the start. A
 * patient without an email address gets a `no-address` record instead, so the desk can see that
 * nothing went. Cancelling or moving an appointment withdraws its reminder not yet sent.
 *
 * An appointment and the ones that replace it by $reschedule are one calendar event: one UID (from
 * the first appointment of the chain) and a SEQUENCE that rises with each change.
 */
import { randomUUID } from 'node:crypto';
import type { Appointment, Location, Patient, Practitioner, Schedule, Slot } from 'fhir/r4';
import { appointmentCalendarUid, CALENDAR_ALARM_MINUTES_BEFORE } from '../../domain/appointmentCalendar';
import { clinicAddress } from '../../domain/clinicAddress';
import { participantsOfType, slotId } from '../../domain/appointmentRules';
import { deliveryChannelOf, REPLACES_URL } from '../../domain/extensions';
import { parseReference, scheduleActorIds } from '../../domain/references';
import type { StoreTransaction } from '../storage/fhirStore';
import type { CalendarFacts, MessageKind, QueuedMessage } from '../storage/outbox';
import { composeMessage, type AppointmentFacts } from './messageContent';
import type { MessageSettings } from './messageSettings';

/** How far back a chain of reschedules is followed for its first appointment (each hop is a read). */
const MAX_CHAIN = 50;

export const NO_ADDRESS_REASON = 'The patient has no email address on record: nothing was sent.';

/** The patient's email address: a current one (no period end), `home` before others. */
export function emailOf(patient: Patient | undefined): string | undefined {
  const emails = (patient?.telecom ?? []).filter(
    (point) => point.system === 'email' && point.value && !point.period?.end && point.use !== 'old',
  );
  emails.sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  return emails[0]?.value?.trim() || undefined;
}

function personName(resource: Patient | Practitioner | undefined, withPrefix: boolean): string | undefined {
  const name = resource?.name?.find((found) => found.use === 'official') ?? resource?.name?.[0];
  if (!name) return undefined;
  if (name.text) return name.text;
  return (
    [...(withPrefix ? (name.prefix ?? []) : []), ...(name.given ?? []), name.family].filter(Boolean).join(' ') ||
    undefined
  );
}

/** The appointment's location: its Location participant, else its slot's schedule's. */
async function locationOf(tx: StoreTransaction, appointment: Appointment): Promise<Location | undefined> {
  const participant = participantsOfType(appointment, 'Location')[0];
  if (participant) return tx.read<Location>('Location', participant.id);
  const slot = slotId(appointment) ? await tx.read<Slot>('Slot', slotId(appointment) as string) : undefined;
  const schedule = slot
    ? await tx.read<Schedule>('Schedule', parseReference(slot.schedule?.reference)?.id ?? '')
    : undefined;
  const [locationId] = scheduleActorIds(schedule, 'Location');
  return locationId ? tx.read<Location>('Location', locationId) : undefined;
}

interface Gathered {
  facts: AppointmentFacts;
  patientId: string;
  email?: string;
}

async function gather(tx: StoreTransaction, appointment: Appointment): Promise<Gathered> {
  const patientId = participantsOfType(appointment, 'Patient')[0]?.id as string;
  const practitionerId = participantsOfType(appointment, 'Practitioner')[0]?.id;
  const patient = await tx.read<Patient>('Patient', patientId);
  const practitioner = practitionerId ? await tx.read<Practitioner>('Practitioner', practitionerId) : undefined;
  const location = await locationOf(tx, appointment);
  const phone = location?.telecom?.find((point) => point.system === 'phone')?.value;
  const facts: AppointmentFacts = {
    start: new Date(appointment.start as string),
    end: new Date((appointment.end ?? appointment.start) as string),
    patientName: patient?.name?.[0]?.given?.[0] ?? personName(patient, false) ?? 'there',
    ...(personName(practitioner, true) ? { practitionerName: personName(practitioner, true) } : {}),
    ...(location?.name ? { clinicName: location.name } : {}),
    ...(clinicAddress(location) ? { clinicAddress: clinicAddress(location) } : {}),
    ...(phone ? { clinicPhone: phone } : {}),
    ...(deliveryChannelOf(appointment) ? { channel: deliveryChannelOf(appointment) } : {}),
    ...(appointment.description ? { description: appointment.description } : {}),
  };
  return { facts, patientId, email: emailOf(patient) };
}

/** The first appointment of the chain `appointment` ends (following `replaces`), and how many moves since it. */
async function chainOf(tx: StoreTransaction, appointment: Appointment): Promise<{ firstId: string; moves: number }> {
  let current = appointment;
  let moves = 0;
  while (moves < MAX_CHAIN) {
    const replaced = parseReference(
      current.extension?.find((extension) => extension.url === REPLACES_URL)?.valueReference?.reference,
    );
    const previous =
      replaced?.resourceType === 'Appointment' ? await tx.read<Appointment>('Appointment', replaced.id) : undefined;
    if (!previous) break;
    current = previous;
    moves += 1;
  }
  return { firstId: current.id as string, moves };
}

function calendarFacts(
  gathered: Gathered,
  uid: string,
  sequence: number,
  method: CalendarFacts['method'],
): CalendarFacts {
  const { facts, email } = gathered;
  const summary = `Appointment${facts.practitionerName ? ` with ${facts.practitionerName}` : ''}${facts.clinicName ? ` at ${facts.clinicName}` : ''}`;
  const location = [facts.clinicName, facts.clinicAddress].filter(Boolean).join(', ');
  const description = [
    facts.description ? `Reason: ${facts.description}` : undefined,
    facts.clinicPhone ? `Clinic phone: ${facts.clinicPhone}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    uid,
    sequence,
    method,
    start: facts.start.toISOString(),
    end: facts.end.toISOString(),
    summary,
    ...(location ? { location } : {}),
    ...(description ? { description } : {}),
    ...(email ? { attendee: { name: facts.patientName, email } } : {}),
    ...(method === 'REQUEST' ? { alarmMinutesBefore: CALENDAR_ALARM_MINUTES_BEFORE } : {}),
  };
}

function message(
  kind: MessageKind,
  appointment: Appointment,
  gathered: Gathered,
  calendar: CalendarFacts,
  timeZone: string,
  now: Date,
  options: { notBefore?: Date; previousStart?: Date } = {},
): QueuedMessage {
  const content = composeMessage(kind, gathered.facts, timeZone, options.previousStart);
  return {
    id: randomUUID(),
    kind,
    appointmentId: appointment.id as string,
    patientId: gathered.patientId,
    recipient: gathered.email ?? null,
    ...content,
    calendar,
    appointmentStart: gathered.facts.start.toISOString(),
    createdAt: now.toISOString(),
    notBefore: (options.notBefore ?? now).toISOString(),
    ...(gathered.email ? {} : { statusReason: NO_ADDRESS_REASON }),
  };
}

/**
 * Queues the confirmation of a booking (or of a reschedule, with the appointment it replaced) and
 * its reminder, in the caller's transaction.
 */
export async function queueBookingMessages(
  tx: StoreTransaction,
  booked: Appointment,
  settings: MessageSettings,
  now: Date,
  replaced?: Appointment,
): Promise<void> {
  const gathered = await gather(tx, booked);
  const { firstId, moves } = await chainOf(tx, booked);
  const calendar = calendarFacts(gathered, appointmentCalendarUid(firstId), moves, 'REQUEST');
  const kind = replaced ? 'rescheduled' : 'booked';
  const previousStart = replaced?.start ? new Date(replaced.start) : undefined;
  const messages = [message(kind, booked, gathered, calendar, settings.timeZone, now, { previousStart })];
  const remindAt = new Date(gathered.facts.start.getTime() - settings.reminderHoursBefore * 3_600_000);
  // Booked inside the reminder window, the confirmation is the reminder.
  if (gathered.email && settings.reminderHoursBefore > 0 && remindAt > now) {
    messages.push(message('reminder', booked, gathered, calendar, settings.timeZone, now, { notBefore: remindAt }));
  }
  if (replaced) await tx.withdrawReminders([replaced.id as string], 'The appointment was moved to another time.');
  await tx.queueMessages(messages);
}

/** Queues the cancellation (METHOD:CANCEL) and withdraws the reminder, in the caller's transaction. */
export async function queueCancellationMessages(
  tx: StoreTransaction,
  cancelled: Appointment,
  settings: MessageSettings,
  now: Date,
): Promise<void> {
  const gathered = await gather(tx, cancelled);
  const { firstId, moves } = await chainOf(tx, cancelled);
  // Above the REQUEST that booked (or moved) it: a calendar takes the cancellation as the newer change.
  const calendar = calendarFacts(gathered, appointmentCalendarUid(firstId), moves + 1, 'CANCEL');
  await tx.withdrawReminders([cancelled.id as string], 'The appointment was cancelled.');
  await tx.queueMessages([message('cancelled', cancelled, gathered, calendar, settings.timeZone, now)]);
}
