import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { appointmentWhen } from '../appointmentText';
import {
  appointmentQueries,
  isCancellable,
  isReschedulable,
  splitByTime,
  type AppointmentRow,
} from '../api/appointmentQueries';
import { CancelAppointmentDialog } from './CancelAppointmentDialog';

export const STATUS_LABEL: Record<string, string> = {
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

/** How the screen moves an appointment to another time: the slot picker belongs to another feature, so the screen composes it. */
export type RenderReschedule = (
  row: AppointmentRow,
  done: (outcome: { moved: boolean; message: string }) => void,
) => ReactNode;

interface ItemActions {
  onCancel: (row: AppointmentRow) => void;
  onReschedule?: (row: AppointmentRow) => void;
}

/** Why it was cancelled, as recorded: the reason's display and the note ("Rescheduled" for a move). */
function cancellationWords(row: AppointmentRow): string | undefined {
  const reason = row.appointment.cancelationReason;
  const words = [reason?.coding?.[0]?.display, reason?.text].filter((part): part is string => Boolean(part));
  return words.length > 0 ? words.join(': ') : undefined;
}

function AppointmentItem({ row, now, actions }: { row: AppointmentRow; now: Date; actions: ItemActions }) {
  const { timeZone } = useAppConfig();
  const status = row.appointment.status;
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
      </div>
      <span className={`status status--${status}`}>{STATUS_LABEL[status] ?? status}</span>
      {(isCancellable(row, now) || (actions.onReschedule && isReschedulable(row, now))) && (
        <div className="appointment__actions">
          {actions.onReschedule && isReschedulable(row, now) && (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => actions.onReschedule?.(row)}
            >
              Reschedule{which}
            </button>
          )}
          {isCancellable(row, now) && (
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

function AppointmentGroup({
  title,
  rows,
  now,
  empty,
  actions,
}: {
  title: string;
  rows: AppointmentRow[];
  now: Date;
  empty: string;
  actions: ItemActions;
}) {
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
            <AppointmentItem key={row.id} row={row} now={now} actions={actions} />
          ))}
        </ul>
      )}
    </section>
  );
}

interface PatientAppointmentsProps {
  patientId: string;
  /** Given, each booked appointment still to come has a "Reschedule" button that opens what this renders. */
  renderReschedule?: RenderReschedule;
  /** The patient's own list: cancelling gives their own reason, not the desk's choice of reasons. */
  byPatient?: boolean;
}

/** The patient's appointments: upcoming (cancellable, and reschedulable where the screen offers it), past, and cancelled. */
export function PatientAppointments({ patientId, renderReschedule, byPatient = false }: PatientAppointmentsProps) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const query = useQuery(appointmentQueries.forPatient(client, patientId));
  const [cancelling, setCancelling] = useState<AppointmentRow | null>(null);
  const [rescheduling, setRescheduling] = useState<AppointmentRow | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const now = new Date();
  const actions: ItemActions = {
    onCancel: setCancelling,
    onReschedule: renderReschedule ? setRescheduling : undefined,
  };

  return (
    <section className="appointments" aria-label="Appointments" aria-busy={query.isFetching}>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {query.isPending && <Loading label="Loading appointments…" />}
      {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && <Groups rows={query.data} now={now} actions={actions} />}
      {cancelling && (
        <CancelAppointmentDialog
          appointment={cancelling.appointment}
          names={{ practitioner: cancelling.practitionerName, location: cancelling.locationName }}
          byPatient={byPatient}
          onClose={() => setCancelling(null)}
          onCancelled={() => {
            setAnnouncement(
              `The appointment on ${cancelling.startsAt ? formatClinicDateTime(cancelling.startsAt, timeZone) : ''} is cancelled.`,
            );
            setCancelling(null);
          }}
        />
      )}
      {rescheduling &&
        renderReschedule?.(rescheduling, ({ message }) => {
          setAnnouncement(message);
          setRescheduling(null);
        })}
    </section>
  );
}

function Groups({ rows, now, actions }: { rows: AppointmentRow[]; now: Date; actions: ItemActions }) {
  const { upcoming, past, cancelled } = splitByTime(rows, now);
  return (
    <>
      <AppointmentGroup
        title="Upcoming appointments"
        rows={upcoming}
        now={now}
        empty="No upcoming appointments."
        actions={actions}
      />
      <AppointmentGroup
        title="Past appointments"
        rows={past}
        now={now}
        empty="No past appointments."
        actions={actions}
      />
      {cancelled.length > 0 && (
        <AppointmentGroup title="Cancelled appointments" rows={cancelled} now={now} empty="" actions={actions} />
      )}
    </>
  );
}
