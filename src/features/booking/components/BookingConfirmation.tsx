import type { Appointment } from 'fhir/r4';
import { useEffect, useRef, type ReactNode } from 'react';
import { participantsOfType, type ActorType } from '../../../../domain/appointmentRules';
import { deliveryChannelOf, DELIVERY_CHANNEL_DISPLAY } from '../../../../domain/extensions';
import { useAppConfig } from '../../../lib/appContext';
import { timeZoneAbbreviation } from '../../../../domain/clinicTime';
import { formatClinicDate, formatClinicTime } from '../../../lib/format';

interface BookingConfirmationProps {
  appointment: Appointment;
  recovered: boolean;
  /** Names known to the screen, for participants the server stored without a display. */
  names: Partial<Record<ActorType, string>>;
  actions: ReactNode;
  /** The patient booked it themselves: who, when, where, how and what for in their words, and no server reference. */
  forPatient?: boolean;
}

function when(appointment: Appointment, timeZone: string): string {
  if (!appointment.start) return 'Not recorded';
  const start = new Date(appointment.start);
  const end = appointment.end ? ` to ${formatClinicTime(new Date(appointment.end), timeZone)}` : '';
  return `${formatClinicDate(start, timeZone)}, ${formatClinicTime(start, timeZone)}${end} ${timeZoneAbbreviation(start, timeZone)}`;
}

/** What the server stored, read back from its answer, not what was sent. */
export function BookingConfirmation({
  appointment,
  recovered,
  names,
  actions,
  forPatient = false,
}: BookingConfirmationProps) {
  const { timeZone } = useAppConfig();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const actor = (type: ActorType) => {
    const found = participantsOfType(appointment, type)[0];
    return found ? (found.participant.actor?.display ?? names[type] ?? found.id) : undefined;
  };
  const channel = deliveryChannelOf(appointment);
  const rows: Array<[string, string | undefined]> = [
    ['Status', appointment.status],
    ['When', when(appointment, timeZone)],
    ['Patient', forPatient ? undefined : actor('Patient')],
    [forPatient ? 'With' : 'Practitioner', actor('Practitioner')],
    [forPatient ? 'Where' : 'Location', actor('Location') ?? 'No particular location'],
    ['How', channel && DELIVERY_CHANNEL_DISPLAY[channel]],
    ['Reason', appointment.description],
    ['Comment', appointment.comment],
  ];
  // For the desk, who may look it up on the server; a patient needs none of it, and the desk keeps it folded away.
  const reference =
    !forPatient && appointment.id
      ? `Appointment/${appointment.id}${appointment.meta?.versionId ? `, version ${appointment.meta.versionId}` : ''}`
      : undefined;
  return (
    <section className="card confirmation" aria-labelledby="confirmation-title">
      <h2 id="confirmation-title" ref={headingRef} tabIndex={-1} className="card__title confirmation__title">
        <span className="confirmation__tick" aria-hidden="true">
          ✓
        </span>
        Appointment {appointment.status === 'booked' ? 'booked' : appointment.status}
      </h2>
      {recovered && (
        <p className="notice">
          The first attempt had reached the server before the connection dropped, so this is that booking: it was not
          booked twice.
        </p>
      )}
      <dl className="summary">
        {rows
          .filter((row): row is [string, string] => row[1] !== undefined)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{label === 'Status' ? <span className={`status status--${value}`}>{value}</span> : value}</dd>
            </div>
          ))}
      </dl>
      {reference && (
        <details className="confirmation__details">
          <summary>Details</summary>
          <dl className="summary">
            <div>
              <dt>Server reference</dt>
              <dd>{reference}</dd>
            </div>
          </dl>
        </details>
      )}
      <div className="confirmation__actions">{actions}</div>
    </section>
  );
}
