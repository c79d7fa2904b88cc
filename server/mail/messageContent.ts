/**
 * What an email about an appointment says, in plain text and HTML: when (in the clinic's zone, with
 * NZDT or NZST), with whom, where (the clinic's name and street address) and how (in person, by
 * phone or video). Pure: the facts come from the write's transaction (appointmentMessages.ts).
 */
import { clinicWallClock, MONTH_NAMES, timeZoneAbbreviation, WEEKDAY_NAMES } from '../../domain/clinicTime';
import type { DeliveryChannel } from '../../domain/extensions';
import type { MessageKind } from '../storage/outbox';

export interface AppointmentFacts {
  start: Date;
  end: Date;
  /** How the patient is greeted: their given name. */
  patientName: string;
  practitionerName?: string;
  clinicName?: string;
  /** One line: street, suburb, city and postcode. */
  clinicAddress?: string;
  clinicPhone?: string;
  channel?: DeliveryChannel;
  /** The reason for the visit the patient gave. */
  description?: string;
}

export interface MessageContent {
  subject: string;
  text: string;
  html: string;
}

/** The clinic's wall clock in words: the names of months and days are ours, whatever the runtime's locale data says. */
function wallClock(instant: Date, timeZone: string) {
  const { year, month, day, hour, minute, weekday } = clinicWallClock(instant, timeZone);
  const clock = `${hour % 12 || 12}:${String(minute).padStart(2, '0')} ${hour < 12 ? 'am' : 'pm'}`;
  return { year, month: MONTH_NAMES[month - 1], day, weekday: WEEKDAY_NAMES[weekday], clock };
}

/** "Tuesday 5 March 2030, 9:00 am NZDT": the clinic's wall clock and which zone it is. */
export function clinicWhen(instant: Date, timeZone: string): string {
  const { weekday, day, month, year, clock } = wallClock(instant, timeZone);
  return `${weekday} ${day} ${month} ${year}, ${clock} ${timeZoneAbbreviation(instant, timeZone)}`;
}

/** "Tue 5 Mar, 9:00 am NZDT". */
function shortWhen(instant: Date, timeZone: string): string {
  const { weekday, day, month, clock } = wallClock(instant, timeZone);
  return `${weekday.slice(0, 3)} ${day} ${month.slice(0, 3)}, ${clock} ${timeZoneAbbreviation(instant, timeZone)}`;
}

function howText(channel: DeliveryChannel | undefined): string | undefined {
  switch (channel) {
    case 'in-person':
      return 'In person, at the clinic';
    case 'telephone':
      return 'By telephone: the clinic will phone you at this time';
    case 'video':
      return 'By video: the clinic will send you the link to join';
    default:
      return undefined;
  }
}

const HEADLINES: Record<MessageKind, string> = {
  booked: 'Your appointment is booked.',
  rescheduled: 'Your appointment has moved to a new time.',
  cancelled: 'Your appointment is cancelled.',
  reminder: 'A reminder of your appointment.',
};

function subjectOf(kind: MessageKind, facts: AppointmentFacts, timeZone: string): string {
  const when = shortWhen(facts.start, timeZone);
  const clinic = facts.clinicName ? ` at ${facts.clinicName}` : '';
  switch (kind) {
    case 'booked':
      return `Appointment confirmed: ${when}${clinic}`;
    case 'rescheduled':
      return `Appointment moved to ${when}${clinic}`;
    case 'cancelled':
      return `Appointment cancelled: ${when}${clinic}`;
    case 'reminder':
      return `Reminder: appointment ${when}${clinic}`;
  }
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The message for one appointment write; `previousStart` is where a rescheduled appointment was. */
export function composeMessage(
  kind: MessageKind,
  facts: AppointmentFacts,
  timeZone: string,
  previousStart?: Date,
): MessageContent {
  const minutes = Math.round((facts.end.getTime() - facts.start.getTime()) / 60_000);
  const where = [facts.clinicName, facts.clinicAddress].filter(Boolean).join(', ');
  const details: Array<[string, string]> = [
    ['When', `${clinicWhen(facts.start, timeZone)}${minutes > 0 ? ` (${minutes} minutes)` : ''}`],
    ...(previousStart ? [['Was', clinicWhen(previousStart, timeZone)] as [string, string]] : []),
    ...(facts.practitionerName ? [['With', facts.practitionerName] as [string, string]] : []),
    ...(where ? [['Where', where] as [string, string]] : []),
    ...(howText(facts.channel) ? [['How', howText(facts.channel) as string] as [string, string]] : []),
    ...(facts.description ? [['Reason', facts.description] as [string, string]] : []),
  ];
  const closing =
    kind === 'cancelled'
      ? 'The attached calendar file removes it from your calendar. To book another time, sign in to the patient portal or phone the clinic.'
      : 'The attached calendar file (appointment.ics) adds it to your calendar. To change or cancel it, sign in to the patient portal or phone the clinic.';
  const phone = facts.clinicPhone ? ` Clinic phone: ${facts.clinicPhone}.` : '';
  const signature = facts.clinicName ?? 'Your clinic';
  const text = [
    `Kia ora ${facts.patientName},`,
    '',
    HEADLINES[kind],
    '',
    ...details.map(([label, value]) => `${label}: ${value}`),
    '',
    `${closing}${phone}`,
    '',
    'Ngā mihi,',
    signature,
    '',
  ].join('\n');
  const rows = details
    .map(
      ([label, value]) =>
        `<tr><th scope="row" align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html = [
    '<!doctype html><html lang="en-NZ"><head><meta charset="utf-8"><title>',
    escapeHtml(subjectOf(kind, facts, timeZone)),
    '</title></head><body style="font-family:sans-serif">',
    `<p>Kia ora ${escapeHtml(facts.patientName)},</p>`,
    `<p><strong>${escapeHtml(HEADLINES[kind])}</strong></p>`,
    `<table>${rows}</table>`,
    `<p>${escapeHtml(closing + phone)}</p>`,
    `<p>Ngā mihi,<br>${escapeHtml(signature)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: subjectOf(kind, facts, timeZone), text, html };
}
