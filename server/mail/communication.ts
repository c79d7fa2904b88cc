/**
 * The outbox as FHIR R4 Communication resources, read-only, for the desk's "Messages" page and for
 * patients' own: one per message, about its Appointment, to its Patient, its subject and text as
 * payload. Status: `preparation` not yet due (a reminder), `in-progress` due or being retried,
 * `completed` sent (with `sent`), `stopped` given up, `not-done` withdrawn or no email address (with
 * `statusReason` saying which).
 */
import type { Communication } from 'fhir/r4';
import type { OutboxMessage } from '../storage/outbox';

const PARTICIPATION_MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
/** Our code system for what a message is about (booked, rescheduled, cancelled, reminder). */
export const MESSAGE_KIND_SYSTEM = 'https://nz-appointments.example.org/fhir/CodeSystem/appointment-message-kind';
/** The Message-ID header a message is (or will be) sent with. */
export const MESSAGE_ID_SYSTEM = 'urn:ietf:rfc:5322';

const KIND_DISPLAY: Record<OutboxMessage['kind'], string> = {
  booked: 'Booking confirmation',
  rescheduled: 'New time',
  cancelled: 'Cancellation',
  reminder: 'Reminder',
};

export interface CommunicationView {
  /** Whether this server sends email (SMTP_URL set): otherwise due messages wait in the outbox. */
  sending: boolean;
  now: Date;
}

function statusOf(message: OutboxMessage, view: CommunicationView): Pick<Communication, 'status' | 'statusReason'> {
  const reason = (text: string | undefined) => (text ? { statusReason: { text } } : {});
  switch (message.status) {
    case 'sent':
      return { status: 'completed' };
    case 'failed':
      return { status: 'stopped', ...reason(message.statusReason ?? message.lastError) };
    case 'withdrawn':
    case 'no-address':
      return { status: 'not-done', ...reason(message.statusReason) };
    case 'pending':
      if (new Date(message.notBefore) > view.now)
        return { status: 'preparation', ...reason(`Due ${message.notBefore}.`) };
      if (!view.sending)
        return {
          status: 'in-progress',
          ...reason('Waiting in the outbox: this server has no mail server configured (SMTP_URL).'),
        };
      return {
        status: 'in-progress',
        ...reason(message.lastError ? `Retrying after: ${message.lastError}` : undefined),
      };
  }
}

export function communicationOf(message: OutboxMessage, view: CommunicationView): Communication {
  const patient = { reference: `Patient/${message.patientId}` };
  return {
    resourceType: 'Communication',
    id: message.id,
    ...(message.messageId ? { identifier: [{ system: MESSAGE_ID_SYSTEM, value: message.messageId }] } : {}),
    ...statusOf(message, view),
    category: [
      {
        coding: [{ system: MESSAGE_KIND_SYSTEM, code: message.kind, display: KIND_DISPLAY[message.kind] }],
        text: KIND_DISPLAY[message.kind],
      },
    ],
    medium: [
      {
        coding: [{ system: PARTICIPATION_MODE, code: 'EMAILWRIT', display: 'email' }],
        ...(message.recipient ? { text: message.recipient } : { text: 'no email address' }),
      },
    ],
    subject: patient,
    about: [{ reference: `Appointment/${message.appointmentId}` }],
    recipient: [{ ...patient, ...(message.recipient ? { display: message.recipient } : {}) }],
    topic: { text: message.subject },
    ...(message.sentAt ? { sent: message.sentAt } : {}),
    payload: [{ contentString: message.subject }, { contentString: message.text }],
  };
}
