import { useQuery } from '@tanstack/react-query';
import { useFhirClient } from '../../../lib/appContext';
import { humanName } from '../../../lib/format';
import { practitionerQueries } from '../api/practitionerQueries';
import { ANYONE } from '../components/PractitionerChoice';

/**
 * What a PractitionerChoice value means for finding free times: anyone, or one practitioner and
 * their schedules; and every practitioner's name, for the schedules that do not give one.
 */
export function useChosenPractitioner(choice: string | undefined) {
  const client = useFhirClient();
  const anyone = choice === ANYONE;
  const practitionerId = anyone ? '' : (choice ?? '');
  const practitioners = useQuery(practitionerQueries.search(client, ''));
  const schedules = useQuery({
    ...practitionerQueries.schedules(client, practitionerId),
    enabled: practitionerId !== '',
  });
  const nameOf = (id: string) => humanName(practitioners.data?.practitioners.find((found) => found.id === id)?.name);
  return { chosen: choice !== undefined, anyone, practitionerId, schedules, nameOf };
}
