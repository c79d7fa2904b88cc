import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from 'fhir/r4';
import { issue, operationOutcome } from '../../domain/operationOutcome';
import { FHIR_JSON } from '../core/mediaTypes';
import { noneMatchNames } from './searchEtag';

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

/**
 * Sends a read resource, or 304 Not Modified with no body when the client's copy is current: its
 * If-None-Match names the version's ETag, or (without If-None-Match, RFC 9110 13.1.3) its
 * If-Modified-Since is not before the last update, to the second an HTTP date has.
 */
export function sendRead(request: FastifyRequest, reply: FastifyReply, resource: Resource): FastifyReply {
  versionHeaders(reply, resource);
  const etag = resource.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined;
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) {
    if (etag && noneMatchNames(noneMatch, etag)) return reply.code(304).send();
  } else {
    const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
    const updated = Date.parse(resource.meta?.lastUpdated ?? '');
    if (!Number.isNaN(since) && !Number.isNaN(updated) && Math.floor(updated / 1000) * 1000 <= since)
      return reply.code(304).send();
  }
  return reply.type(FHIR_JSON).send(resource);
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
