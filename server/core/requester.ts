/**
 * Who is asking, as the services need to know it: to hold patients to the practice's rules and to
 * name the agent of each write's Provenance. Built by http from the request's access token; plain
 * data, so it crosses into a store operation.
 */
import type { Reference } from 'fhir/r4';
import type { RequesterKind } from '../../domain/practiceRules';
import { CANONICAL_BASE } from '../../domain/extensions';

export interface Requester {
  kind: RequesterKind;
  /** The patient signed in (kind patient), the staff account's user name (staff) or the client id (machine). */
  id: string;
  /** A name a person reads: the patient's or the staff member's name, the client id for a machine. */
  display: string;
}

/** The identifier systems of who has no FHIR resource here: staff accounts and machine clients. */
export const STAFF_ACCOUNT_SYSTEM = `${CANONICAL_BASE}/sid/staff-account`;
export const CLIENT_ID_SYSTEM = `${CANONICAL_BASE}/sid/client-id`;

/** Provenance.agent.who for the requester: a Patient by reference, staff and machines by identifier. */
export function agentReference(requester: Requester): Reference {
  if (requester.kind === 'patient') return { reference: `Patient/${requester.id}`, display: requester.display };
  const system = requester.kind === 'staff' ? STAFF_ACCOUNT_SYSTEM : CLIENT_ID_SYSTEM;
  return { identifier: { system, value: requester.id }, display: requester.display };
}

/** For services called without a signed-in person (tools and tests): the server itself. */
export const SERVER_REQUESTER: Requester = { kind: 'machine', id: 'server', display: 'The appointment server' };
