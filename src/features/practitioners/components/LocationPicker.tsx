import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useFhirClient } from '../../../lib/appContext';
import { locationQueries, practitionerQueries, scheduleLocations } from '../api/practitionerQueries';

interface LocationPickerProps {
  practitionerId: string;
  locationId: string | undefined;
  onChoose: (location: { id: string; name: string } | undefined) => void;
  errorId?: string;
  invalid?: boolean;
}

/** The places the practitioner's schedules are kept at; any location when the schedules do not say. */
export function LocationPicker({ practitionerId, locationId, onChoose, errorId, invalid }: LocationPickerProps) {
  const client = useFhirClient();
  const schedules = useQuery(practitionerQueries.schedules(client, practitionerId));
  const fromSchedules = schedules.data ? scheduleLocations(schedules.data) : [];
  const needsSearch = schedules.isSuccess && fromSchedules.length === 0;
  const everywhere = useQuery({ ...locationQueries.all(client), enabled: needsSearch });
  const choices = needsSearch ? (everywhere.data ?? []) : fromSchedules;
  const selectId = useId();
  const hintId = useId();

  if (schedules.isPending) return <Loading label="Loading the practitioner's locations…" />;
  if (schedules.isError) return <LoadError error={schedules.error} onRetry={() => void schedules.refetch()} />;
  if (needsSearch && everywhere.isError)
    return <LoadError error={everywhere.error} onRetry={() => void everywhere.refetch()} />;

  return (
    <div className="field">
      <label htmlFor={selectId} className="field__label">
        Location <span className="field__optional">(optional)</span>
      </label>
      <p id={hintId} className="field__hint">
        {needsSearch
          ? 'The schedule does not name a place: choose any location.'
          : "Where the practitioner's schedule is kept."}
      </p>
      <select
        id={selectId}
        className="input select"
        value={locationId ?? ''}
        aria-describedby={[invalid ? errorId : undefined, hintId].filter(Boolean).join(' ')}
        aria-invalid={invalid || undefined}
        onChange={(event) => onChoose(choices.find((choice) => choice.id === event.target.value))}
      >
        <option value="">No particular location</option>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.name}
          </option>
        ))}
      </select>
    </div>
  );
}
