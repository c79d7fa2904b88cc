import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { appointmentQueries, splitByTime } from '../api/appointmentQueries';
import { appointmentWhen } from '../appointmentText';

/** The patient's upcoming appointments at a glance (no actions), so the desk books knowing what is already there. */
export function UpcomingAppointments({ patientId }: { patientId: string }) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const query = useQuery(appointmentQueries.forPatient(client, patientId));
  const headingId = useId();
  const upcoming = query.data ? splitByTime(query.data, new Date()).upcoming : [];
  return (
    <section className="card upcoming-summary" aria-labelledby={headingId} aria-busy={query.isFetching}>
      <h2 id={headingId} className="card__title">
        <span>Upcoming appointments {query.data && <span className="count">({upcoming.length})</span>}</span>
      </h2>
      {query.isPending && <Loading label="Loading appointments…" />}
      {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && upcoming.length === 0 && <p className="field__hint">None booked.</p>}
      {upcoming.length > 0 && (
        <ul className="upcoming-summary__list" aria-labelledby={headingId}>
          {upcoming.map((row) => (
            <li key={row.id}>
              <span className="appointment__when">{appointmentWhen(row, timeZone)}</span> with {row.practitionerName}
              {row.locationName && <> · {row.locationName}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
