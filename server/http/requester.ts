/** Who the request's access token says is asking, as the services' Requester. */
import type { FastifyRequest } from 'fastify';
import type { Requester } from '../core/requester';

/**
 * From the token's subject: `patient:<id>`, `staff:<user name>` or `client:<client id>` (the
 * authorization server's subjects). A staff member working in a patient's context is still staff.
 */
export function requesterOf(request: FastifyRequest): Requester {
  const claims = request.tokenClaims;
  if (!claims) throw new Error(`${request.method} ${request.routeOptions.url} was reached without a signed-in caller`);
  const [kind, ...rest] = claims.sub.split(':');
  const id = rest.join(':');
  if (kind === 'patient') return { kind: 'patient', id, display: claims.name ?? `Patient ${id}` };
  if (kind === 'staff') return { kind: 'staff', id, display: claims.name ?? id };
  return { kind: 'machine', id: claims.client_id, display: claims.name ?? `Client ${claims.client_id}` };
}
