import type { Appointment } from 'fhir/r4';
import { useEffect, useId, useRef } from 'react';
import { AddToCalendarButton } from '../../../components/AddToCalendarButton';
import { EmptyState } from '../../../components/EmptyState';
import { useAppConfig } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { isCancellable, isReschedulable, isUpcoming, type AppointmentRow } from '../api/appointmentQueries';
import { calendarEventOf } from '../appointmentCalendar';
import { appointmentWhen } from '../appointmentText';
import { pastChangeCutoff } from '../changeCutoff';
import { clinicContact } from '../clinicContact';
import { PhoneTheClinic } from './PhoneTheClinic';

const STATUS_LABEL: Record<string, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  fulfilled: 'Attended',
  noshow: 'Did not attend',
  proposed: 'Proposed',
  pending: 'Pending',
  arrived: 'Arrived',
  'checked-in': 'Checked in',
  'entered-in-error': 'Entered in error',
  waitlist: 'Wait list',
};

export interface ItemActions {
  onCancel: (row: AppointmentRow) => void;
  onReschedule?: (row: AppointmentRow) => void;
}

interface ItemContext {
  now: Date;
  actions: ItemActions;
  /** The patient's own list: bound by the cut-off, and offered "Add to calendar". */
  byPatient: boolean;
  /** The server's words for each appointment it refused to change for the cut-off. */
  refused: ReadonlyMap<string, string>;
  /** The appointment whose phone message takes the focus (its buttons just gave way to it). */
  focusPhoneOf: string | null;
  /** The patient's appointments by id, for the calendar UID of a chain of reschedules. */
  byId: ReadonlyMap<string, Appointment>;
}

/** Why it was cancelled, as recorded: the reason's display and the note ("Rescheduled" for a move). */
function cancellationWords(row: AppointmentRow): string | undefined {
  const reason = row.appointment.cancelationReason;
  const words = [reason?.coding?.[0]?.display, reason?.text].filter((part): part is string => Boolean(part));
  return words.length > 0 ? words.join(': ') : undefined;
}

function AppointmentItem({
  row,
  now,
  actions,
  byPatient,
  refused,
  focusPhoneOf,
  byId,
}: ItemContext & { row: AppointmentRow }) {
  const { timeZone, patientChangeCutoffMinutes } = useAppConfig();
  const phoneRef = useRef<HTMLDivElement>(null);
  const status = row.appointment.status;
  const upcoming = isUpcoming(row, now);
  const cutoff = upcoming
    ? pastChangeCutoff(byPatient ? 'patient' : 'staff', row.startsAt, now, patientChangeCutoffMinutes)
    : undefined;
  // A patient past the cut-off (as the app knows it, or as the server said) phones instead.
  const phoneInstead = byPatient && upcoming ? (refused.get(row.id) ?? cutoff) : undefined;
  const canCancel = isCancellable(row, now) && !phoneInstead;
  const canReschedule = Boolean(actions.onReschedule) && isReschedulable(row, now) && !phoneInstead;
  const calendarEvent = byPatient && upcoming ? calendarEventOf(row, byId) : undefined;
  const focusPhone = focusPhoneOf === row.id;

  useEffect(() => {
    if (focusPhone) phoneRef.current?.focus();
  }, [focusPhone]);

  const which = (
    <span className="visually-hidden">
      {' '}
      {row.startsAt ? formatClinicDateTime(row.startsAt, timeZone) : ''} with {row.practitionerName}
    </span>
  );
  return (
    <li className={`appointment appointment--${status}`}>
      <div className="appointment__main">
        <p className="appointment__when">{appointmentWhen(row, timeZone)}</p>
        <p className="appointment__who">
          {row.practitionerName}
          {row.locationName && <span className="appointment__where"> · {row.locationName}</span>}
        </p>
        {status === 'cancelled' && cancellationWords(row) && (
          <p className="appointment__note">{cancellationWords(row)}</p>
        )}
        {!byPatient && cutoff && (
          <p className="appointment__note">
            Past the patients&apos; online cut-off: only the clinic can change it now.
          </p>
        )}
      </div>
      <span className={`status status--${status}`}>{STATUS_LABEL[status] ?? status}</span>
      {phoneInstead && (
        <PhoneTheClinic
          ref={phoneRef}
          className="phone-clinic appointment__phone"
          why={phoneInstead}
          clinic={clinicContact(row.location, row.locationName)}
        />
      )}
      {(canCancel || canReschedule || calendarEvent) && (
        <div className="appointment__actions">
          {calendarEvent && (
            <AddToCalendarButton
              event={calendarEvent}
              fileName={`appointment-${row.id}.ics`}
              which={which}
              className="button button--secondary button--small"
            />
          )}
          {canReschedule && (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => actions.onReschedule?.(row)}
            >
              Reschedule{which}
            </button>
          )}
          {canCancel && (
            <button
              type="button"
              className="button button--secondary button--small appointment__cancel"
              onClick={() => actions.onCancel(row)}
            >
              Cancel{which}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

interface AppointmentGroupProps extends ItemContext {
  title: string;
  rows: AppointmentRow[];
  empty: string;
}

/** One group of the list under its heading, with how many it holds. */
export function AppointmentGroup({ title, rows, empty, ...context }: AppointmentGroupProps) {
  const headingId = useId();
  return (
    <section className="card appointment-group" aria-labelledby={headingId}>
      <h2 id={headingId} className="card__title">
        <span>
          {title} <span className="count">({rows.length})</span>
        </span>
      </h2>
      {rows.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <ul className="appointment-list" aria-labelledby={headingId}>
          {rows.map((row) => (
            <AppointmentItem key={row.id} row={row} {...context} />
          ))}
        </ul>
      )}
    </section>
  );
}
