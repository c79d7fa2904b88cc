import type { Communication } from 'fhir/r4';
import { EmptyState } from '../../../components/EmptyState';
import { formatClinicDateTime } from '../../../lib/format';
import type { MessageRow } from '../api/messageQueries';

const STATUS_WORDS: Record<Communication['status'], string> = {
  preparation: 'Scheduled',
  'in-progress': 'Waiting to send',
  completed: 'Sent',
  stopped: 'Failed',
  'not-done': 'Not sent',
  'on-hold': 'On hold',
  'entered-in-error': 'Entered in error',
  unknown: 'Unknown',
};

/** The emails about appointments, newest first: what, to whom (or "no email"), and whether it went. */
export function MessageList({
  rows,
  total,
  timeZone,
}: {
  rows: MessageRow[];
  total: number | undefined;
  timeZone: string;
}) {
  if (rows.length === 0)
    return <EmptyState title="No messages yet: bookings, changes and cancellations email the patient." />;
  return (
    <>
      <table className="day-sheet__table messages">
        <caption className="visually-hidden">Emails to patients, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>
                <strong>{row.what}</strong>
                <br />
                {row.subject}
              </td>
              <td>{row.to ?? <em>No email address</em>}</td>
              <td>
                {STATUS_WORDS[row.status]}
                {row.sent && <> {formatClinicDateTime(row.sent, timeZone)}</>}
                {row.reason && (
                  <>
                    <br />
                    <small>{row.reason}</small>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {total !== undefined && total > rows.length && (
        <p>
          Showing the newest {rows.length} of {total}.
        </p>
      )}
    </>
  );
}
