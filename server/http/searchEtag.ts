/**
 * Searches answer with an ETag over the whole Bundle, and a request whose If-None-Match names it gets
 * 304 Not Modified with no body: a client polling a list (the desk's diary) pays a few hundred bytes
 * per unchanged answer instead of the list. The search still runs; only the transfer is saved. The
 * tag is weak (`W/`): equal tags mean the same resources at the same versions, not the same bytes.
 *
 * A search the store answers from its cache gives back the very result it gave before, so its JSON and
 * tag are made once per result and way of writing it, not per request: a busy week of slots is 100 KB.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bundle } from 'fhir/r4';
import { FHIR_JSON } from '../core/mediaTypes';

export function bundleEtag(body: string | Buffer): string {
  return `W/"b-${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Whether an If-None-Match header (one tag, a list, or `*`) names this tag, compared weakly (RFC 9110 13.1.2). */
export function noneMatchNames(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

export interface SerializedBundle {
  /** Encoded once: a kept answer is written many times, and encoding 100 KB of text is most of writing it. */
  body: Buffer;
  etag: string;
}

/** Ways one result is written (base URLs, parameter orders, `_elements`) kept at most; more are made afresh. */
const MOST_WAYS_KEPT = 4;
const serialized = new WeakMap<object, Map<string, SerializedBundle>>();

/**
 * The Bundle's JSON and tag, made once for each store result (kept only as long as the result is)
 * and `way` (everything besides the result the Bundle is made of).
 */
export function serializedBundle(result: object, way: string, bundle: () => Bundle): SerializedBundle {
  const ways = serialized.get(result) ?? new Map<string, SerializedBundle>();
  serialized.set(result, ways);
  const known = ways.get(way);
  if (known) return known;
  const made = serializeBundle(bundle());
  if (ways.size < MOST_WAYS_KEPT) ways.set(way, made);
  return made;
}

export function serializeBundle(bundle: Bundle): SerializedBundle {
  const body = Buffer.from(JSON.stringify(bundle));
  return { body, etag: bundleEtag(body) };
}

export function sendSearchBundle(request: FastifyRequest, reply: FastifyReply, bundle: SerializedBundle): FastifyReply {
  const { body, etag } = bundle;
  // No Cache-Control here: the security headers make every FHIR answer no-store, so no browser or proxy
  // keeps patient data. The app revalidates by itself: it keeps the last Bundle in memory and sends its tag.
  reply.header('ETag', etag);
  if (noneMatchNames(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type(FHIR_JSON).send(body);
}
