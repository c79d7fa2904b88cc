import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from 'fhir/r4';
import { issue, operationOutcome } from '../../domain/operationOutcome';
import { FHIR_JSON } from '../core/mediaTypes';

export interface Preferences {
  return: 'minimal' | 'representation' | 'OperationOutcome';
  strict: boolean;
}

/** Reads the `Prefer` header (RFC 7240) for `return=` and `handling=`. */
export function preferences(request: FastifyRequest): Preferences {
  const header = String(request.headers.prefer ?? '');
  const returned = /return\s*=\s*"?(minimal|representation|OperationOutcome)"?/i.exec(header)?.[1];
  return {
    return:
      returned === 'minimal'
        ? 'minimal'
        : returned?.toLowerCase() === 'operationoutcome'
          ? 'OperationOutcome'
          : 'representation',
    strict: /handling\s*=\s*"?strict"?/i.test(header),
  };
}

export function versionHeaders(reply: FastifyReply, resource: Resource): FastifyReply {
  if (resource.meta?.versionId) reply.header('ETag', `W/"${resource.meta.versionId}"`);
  if (resource.meta?.lastUpdated) reply.header('Last-Modified', new Date(resource.meta.lastUpdated).toUTCString());
  return reply;
}

/** Sends a written resource as the client's `Prefer: return=` asks. */
export function sendWritten(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  resource: Resource,
  message: string,
) {
  versionHeaders(reply, resource).code(status);
  const { return: returned } = preferences(request);
  if (returned === 'minimal') return reply.send();
  reply.type(FHIR_JSON);
  if (returned === 'OperationOutcome')
    return reply.send(operationOutcome([{ ...issue('informational', message), severity: 'information' }]));
  return reply.send(resource);
}
