import { queryOptions } from '@tanstack/react-query';
import type { Provenance } from 'fhir/r4';
import { bundleResources, type FhirClient } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';

export interface HistoryEntry {
  id: string;
  /** "Booked", "Arrived", "Cancelled"… */
  what: string;
  who: string | undefined;
  recorded: Date | undefined;
}

/** The desk's words for an activity where the server's word is FHIR's status code. */
const DESK_WORDS: Record<string, string> = {
  fulfilled: 'seen',
  noshow: 'did not attend',
  create: 'booked',
  revise: 'changed',
};

export function activityWords(provenance: Provenance): string {
  const activity = provenance.activity;
  const raw = activity?.text ?? activity?.coding?.[0]?.display ?? activity?.coding?.[0]?.code ?? 'Changed';
  const text = DESK_WORDS[raw.toLowerCase()] ?? raw;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const provenanceQueries = {
  /** Who did what to the appointment and when, oldest first (`Provenance?target=`). */
  forAppointment: (client: FhirClient, appointmentId: string) =>
    queryOptions({
      queryKey: queryKeys.provenance.forAppointment(appointmentId),
      queryFn: async ({ signal }): Promise<HistoryEntry[]> => {
        const bundle = await client.search(
          'Provenance',
          [
            ['target', `Appointment/${appointmentId}`],
            ['_count', '100'],
          ],
          signal,
        );
        return bundleResources<Provenance>(bundle)
          .matches.map((provenance) => ({
            id: provenance.id ?? '',
            what: activityWords(provenance),
            who: provenance.agent[0]?.who?.display,
            recorded: provenance.recorded ? new Date(provenance.recorded) : undefined,
          }))
          .sort((a, b) => (a.recorded?.getTime() ?? 0) - (b.recorded?.getTime() ?? 0));
      },
      staleTime: 0,
    }),
};
