import { queryOptions } from '@tanstack/react-query';
import type { Communication } from 'fhir/r4';
import { bundleResources, type FhirClient } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';

/** One email the server sent, will send or did not send, as the desk reads it. */
export interface MessageRow {
  id: string;
  /** "Booking confirmation", "New time", "Cancellation", "Reminder". */
  what: string;
  /** The patient's email address, or undefined when they have none. */
  to: string | undefined;
  patientId: string | undefined;
  subject: string;
  status: Communication['status'];
  /** Why it is in that status, in the server's words (no email address, due at, retrying...). */
  reason: string | undefined;
  sent: Date | undefined;
}

function rowOf(communication: Communication): MessageRow {
  return {
    id: communication.id ?? '',
    what: communication.category?.[0]?.text ?? communication.category?.[0]?.coding?.[0]?.display ?? 'Email',
    to: communication.recipient?.[0]?.display,
    patientId: communication.subject?.reference?.split('/')[1],
    subject: communication.topic?.text ?? communication.payload?.[0]?.contentString ?? '',
    status: communication.status,
    reason: communication.statusReason?.text,
    sent: communication.sent ? new Date(communication.sent) : undefined,
  };
}

export const MESSAGES_PAGE_SIZE = 50;

export const messageQueries = {
  /** The newest emails (Communication), of one patient when given. */
  list: (client: FhirClient, patientId: string | undefined) =>
    queryOptions({
      queryKey: queryKeys.messages.list(patientId),
      queryFn: async ({ signal }) => {
        const params: Array<[string, string]> = [
          ['_count', String(MESSAGES_PAGE_SIZE)],
          ...(patientId ? [['patient', patientId] as [string, string]] : []),
        ];
        const bundle = await client.search('Communication', params, signal);
        return { total: bundle.total, rows: bundleResources<Communication>(bundle).matches.map(rowOf) };
      },
      staleTime: 0,
    }),
};
