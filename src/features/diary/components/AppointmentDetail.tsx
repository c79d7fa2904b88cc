import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Dialog } from '../../../components/Dialog';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useFhirClient } from '../../../lib/appContext';
import { formatAppointmentStatus, formatChannel, formatClinicDateTime, formatClinicTime } from '../../../lib/format';
import type { DiaryAppointment } from '../api/diaryQueries';
import { provenanceQueries } from '../api/provenanceQueries';

interface AppointmentDetailProps {
  item: DiaryAppointment;
  timeZone: string;
  /** Whether the server keeps Provenance to ask for the history. */
  hasHistory: boolean;
  actions?: ReactNode;
  onClose: () => void;
}

function History({ appointmentId, timeZone }: { appointmentId: string; timeZone: string }) {
  const client = useFhirClient();
  const history = useQuery(provenanceQueries.forAppointment(client, appointmentId));
  if (history.isPending) return <Loading label="Loading the history…" />;
  if (history.isError) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.length === 0) return <p>No history is recorded for this appointment.</p>;
  return (
    <ol className="history">
      {history.data.map((entry) => (
        <li key={entry.id}>
          {entry.what}
          {entry.who ? ` by ${entry.who}` : ''}
          {entry.recorded ? ` ${formatClinicTime(entry.recorded, timeZone)}` : ''}
          {entry.recorded && <span className="history__when"> ({formatClinicDateTime(entry.recorded, timeZone)})</span>}
        </li>
      ))}
    </ol>
  );
}

export function AppointmentDetail({ item, timeZone, hasHistory, actions, onClose }: AppointmentDetailProps) {
  const facts: Array<[string, string]> = [
    ['When', formatClinicDateTime(item.startsAt, timeZone)],
    ['Patient', item.patientName],
    ['NHI', item.nhi ?? 'Not recorded'],
    ['With', item.practitionerName],
    ['Type', item.type ?? 'Not recorded'],
    ['Channel', formatChannel(item.channel)],
    ['Status', formatAppointmentStatus(item.status)],
  ];
  const reason = item.appointment.cancelationReason?.text ?? item.appointment.cancelationReason?.coding?.[0]?.display;
  if (reason) facts.push(['Reason', reason]);
  return (
    <Dialog title={`Appointment: ${item.patientName}`} onClose={onClose}>
      <dl className="summary">
        {facts.map(([term, definition]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{definition}</dd>
          </div>
        ))}
      </dl>
      <section aria-label="History">
        <h3 className="dialog__subtitle">History</h3>
        {hasHistory ? (
          <History appointmentId={item.id} timeZone={timeZone} />
        ) : (
          <p>This server keeps no history of appointments.</p>
        )}
      </section>
      <div className="dialog__actions">
        {actions}
        <button type="button" className="button button--secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
