import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { appointmentWhen } from '../appointmentText';
import { appointmentQueries, isCancellable, splitByTime, type AppointmentRow } from '../api/appointmentQueries';
import { CancelAppointmentDialog } from './CancelAppointmentDialog';

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

function AppointmentItem({ row, now, onCancel }: { row: AppointmentRow; now: Date; onCancel: (row: AppointmentRow) => void }) {
  const { timeZone } = useAppConfig();
  const status = row.appointment.status;
  return (
    <li className={`appointment appointment--${status}`}>
      <div className="appointment__main">
        <p className="appointment__when">{appointmentWhen(row, timeZone)}</p>
        <p className="appointment__who">
          {row.practitionerName}
          {row.locationName && <span className="appointment__where"> · {row.locationName}</span>}
        </p>
      </div>
      <span className={`status status--${status}`}>{STATUS_LABEL[status] ?? status}</span>
      {isCancellable(row, now) && (
        <button type="button" className="button button--secondary appointment__cancel" onClick={() => onCancel(row)}>
          Cancel<span className="visually-hidden"> {row.startsAt ? formatClinicDateTime(row.startsAt, timeZone) : ''} with {row.practitionerName}</span>
        </button>
      )}
    </li>
  );
}

function AppointmentGroup({ title, rows, now, empty, onCancel }: { title: string; rows: AppointmentRow[]; now: Date; empty: string; onCancel: (row: AppointmentRow) => void }) {
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
            <AppointmentItem key={row.id} row={row} now={now} onCancel={onCancel} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The patient's appointments, upcoming and past, each cancellable while it is still to come. */
export function PatientAppointments({ patientId }: { patientId: string }) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const query = useQuery(appointmentQueries.forPatient(client, patientId));
  const [cancelling, setCancelling] = useState<AppointmentRow | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const now = new Date();

  return (
    <section className="appointments" aria-label="Appointments" aria-busy={query.isFetching}>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {query.isPending && <Loading label="Loading appointments…" />}
      {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && <Groups rows={query.data} now={now} onCancel={setCancelling} />}
      {cancelling && (
        <CancelAppointmentDialog
          patientId={patientId}
          row={cancelling}
          onClose={() => setCancelling(null)}
          onCancelled={() => {
            setAnnouncement(`The appointment on ${cancelling.startsAt ? formatClinicDateTime(cancelling.startsAt, timeZone) : ''} is cancelled.`);
            setCancelling(null);
          }}
        />
      )}
    </section>
  );
}

function Groups({ rows, now, onCancel }: { rows: AppointmentRow[]; now: Date; onCancel: (row: AppointmentRow) => void }) {
  const { upcoming, past } = splitByTime(rows, now);
  return (
    <>
      <AppointmentGroup title="Upcoming appointments" rows={upcoming} now={now} empty="No upcoming appointments." onCancel={onCancel} />
      <AppointmentGroup title="Past appointments" rows={past} now={now} empty="No past appointments." onCancel={onCancel} />
    </>
  );
}
