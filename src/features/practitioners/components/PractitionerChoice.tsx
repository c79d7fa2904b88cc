import { useQuery } from '@tanstack/react-query';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useFhirClient } from '../../../lib/appContext';
import { humanName } from '../../../lib/format';
import { practitionerQueries, practitionerWorkQuery } from '../api/practitionerQueries';

export const ANYONE = 'anyone';

interface PractitionerChoiceProps {
  legend: string;
  /** A practitioner id, ANYONE, or undefined before a choice. */
  value: string | undefined;
  onChange: (value: string, name: string | undefined) => void;
}

/**
 * Every practitioner who sees patients (has an active schedule) as a plain list to tap, with "first
 * available with anyone" first: a patient rarely knows a name to search, and staff without a schedule
 * (the receptionist's own Practitioner record) have nothing to book.
 */
export function PractitionerChoice({ legend, value, onChange }: PractitionerChoiceProps) {
  const client = useFhirClient();
  const query = useQuery(practitionerQueries.search(client, ''));
  const work = useQuery(practitionerWorkQuery(client));
  const failed = query.isError ? query : work.isError ? work : undefined;
  const seeingPatients =
    query.data && work.data
      ? query.data.practitioners.filter((practitioner) => work.data[practitioner.id ?? ''])
      : undefined;
  return (
    <fieldset className="choice-list">
      <legend className="choice-list__legend">{legend}</legend>
      {(query.isPending || work.isPending) && !failed && <Loading label="Loading practitioners…" />}
      {failed && <LoadError error={failed.error} onRetry={() => void failed.refetch()} />}
      {seeingPatients && (
        <>
          <label className="choice">
            <input
              type="radio"
              name="practitioner"
              className="choice__input"
              checked={value === ANYONE}
              onChange={() => onChange(ANYONE, undefined)}
            />
            <span className="choice__text">First available with anyone</span>
          </label>
          {seeingPatients.map((practitioner) => {
            const name = humanName(practitioner.name);
            return (
              <label key={practitioner.id} className="choice">
                <input
                  type="radio"
                  name="practitioner"
                  className="choice__input"
                  checked={value === practitioner.id}
                  onChange={() => onChange(practitioner.id ?? '', name)}
                />
                <span className="choice__text">{name}</span>
              </label>
            );
          })}
        </>
      )}
    </fieldset>
  );
}
