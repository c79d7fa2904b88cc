/**
 * What the FHIR server says it can do, from its CapabilityStatement: the app uses an interaction or
 * operation beyond the medTech page's POST and PUT only where the server declares it, and falls back
 * to the page's two writes elsewhere (domain.md, "The appointment's life after booking").
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { useAppConfig, useFhirClient } from './appContext';
import type { FhirClient } from './fhirClient';
import { queryKeys } from './queryKeys';

export interface ServerCapabilities {
  /** Whether the type supports the interaction (`patch`, `history-instance`, `search-type`…). */
  supportsInteraction(type: string, code: string): boolean;
  /** Whether the type declares the operation, named without its `$` (`cancel`, `reschedule`). */
  supportsOperation(type: string, name: string): boolean;
  /** Whether a search parameter is declared for the type (`location`, `channel`, `_lastUpdated`…). */
  supportsSearchParam(type: string, name: string): boolean;
  /** Whether a create of the type honours If-None-Exist (`conditionalCreate`). */
  supportsConditionalCreate(type: string): boolean;
}

export function serverCapabilities(statement: CapabilityStatement | undefined): ServerCapabilities {
  const resources = new Map<string, CapabilityStatementRestResource>();
  for (const rest of statement?.rest ?? []) {
    if (rest.mode !== 'server') continue;
    for (const resource of rest.resource ?? []) resources.set(resource.type, resource);
  }
  return {
    supportsInteraction: (type, code) => (resources.get(type)?.interaction ?? []).some((found) => found.code === code),
    supportsOperation: (type, name) =>
      (resources.get(type)?.operation ?? []).some((found) => found.name.replace(/^\$/, '') === name),
    supportsSearchParam: (type, name) => (resources.get(type)?.searchParam ?? []).some((found) => found.name === name),
    supportsConditionalCreate: (type) => resources.get(type)?.conditionalCreate === true,
  };
}

/**
 * The medTech IG's canonical: a server that instantiates it (or names it among its implementation
 * guides) books a POSTed proposal itself, under the IG's rules: the slot is free, nobody is double
 * booked, and the slot is marked busy (our server says so in `instantiates`, server/http/capabilityStatement.ts).
 */
export const MEDTECH_IG = 'http://hl7.org.nz/fhir/ig/medtech';

/** Whether the server books under the IG's rules itself; if not, the app checks and claims the slot (appointmentWrites.ts). */
export function holdsBookingRules(statement: CapabilityStatement | undefined): boolean {
  const named = [...(statement?.instantiates ?? []), ...(statement?.implementationGuide ?? [])];
  return named.some(
    (url) => url === MEDTECH_IG || url.startsWith(`${MEDTECH_IG}/`) || url.startsWith(`${MEDTECH_IG}|`),
  );
}

/**
 * The CapabilityStatement of the server at `fhirBaseUrl` (the client's), fetched once per tab, since a
 * server's abilities do not change while it is open: the first screen that needs it asks, later ones find it held.
 */
export const capabilitiesQuery = (client: FhirClient, fhirBaseUrl: string) =>
  queryOptions({
    queryKey: queryKeys.server.capabilities(fhirBaseUrl),
    queryFn: () => client.capabilities(),
    staleTime: Infinity,
    select: serverCapabilities,
  });

/** What the server declares; while it loads (or if it cannot be read) nothing beyond the page's writes. */
export function useServerCapabilities(): ServerCapabilities {
  const client = useFhirClient();
  const { fhirBaseUrl } = useAppConfig();
  return useQuery(capabilitiesQuery(client, fhirBaseUrl)).data ?? serverCapabilities(undefined);
}
