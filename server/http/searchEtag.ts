/**
 * Searches answer with an ETag over the whole Bundle, and a request whose If-None-Match names it gets
 * 304 Not Modified with no body: a client polling a list (the desk's diary) pays a few hundred bytes
 * per unchanged answer instead of the list. The search still runs; only the transfer is saved. The
 * tag is weak (`W/`): equal tags mean the same resources at the same versions, not the same bytes.
 *
 * A search the store answers from its cache gives back the very result it gave before, so its JSON and
 * tag are made once per result and way of writing it, not per request: a busy week of slots is 100 KB.
 * To a client that accepts gzip (every browser) a large answer goes compressed, also made once: a
 * week of slots is then about a tenth of that on a patient's phone. The tag is the same either way
 * (weak tags name the content, not the bytes).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bundle } from 'fhir/r4';
import { FHIR_JSON } from '../core/mediaTypes';
import { MadeOnce } from './madeOnce';
import type { PartsBody } from './partsBody';

export function bundleEtag(body: Buffer): string {
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
  /** The body gzipped, made when first asked for. */
  gzipped?: Buffer;
  /** How to make it from what was kept of the body's parts (partsBody.ts), rather than from the body. */
  gzip?: () => Buffer;
}

/** Below this an answer goes as it is: compressing it would cost more than sending it. */
const COMPRESSED_FROM_BYTES = 4 * 1024;

/** Whether an Accept-Encoding header (RFC 9110 12.5.3) accepts gzip: named, or `*`, and not with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const weights = new Map(
    header.split(',').map((part) => {
      const [coding, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = parameters.find((parameter) => parameter.startsWith('q='));
      return [coding, q === undefined ? 1 : Number(q.slice(2))] as const;
    }),
  );
  const weight = weights.get('gzip') ?? weights.get('x-gzip') ?? weights.get('*') ?? 0;
  return weight > 0;
}

/** Each result's Bundles, by the way it was written (at most 4 ways: base URLs, parameter orders, `_elements`). */
const serialized = new MadeOnce<SerializedBundle>(4);

/**
 * The Bundle's JSON and tag, made once for each store result (kept only as long as the result is)
 * and `way` (everything besides the result the Bundle is made of); from its parts when `fromParts`
 * can make it so.
 */
export function serializedBundle(
  result: object,
  way: string,
  bundle: () => Bundle,
  fromParts?: () => PartsBody | undefined,
): SerializedBundle {
  return serialized.get(result, way, () => {
    const parts = fromParts?.();
    return parts ? { body: parts.body, etag: bundleEtag(parts.body), gzip: parts.gzip } : serializeBundle(bundle());
  });
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
  if (body.length < COMPRESSED_FROM_BYTES) return reply.type(FHIR_JSON).send(body);
  // Added to what is there (CORS varies by Origin).
  const vary = reply.getHeader('vary');
  reply.header('Vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  if (!acceptsGzip(request.headers['accept-encoding'])) return reply.type(FHIR_JSON).send(body);
  // The fastest level: most of what gzip saves on JSON, at a fraction of the time of its default.
  bundle.gzipped ??= bundle.gzip?.() ?? gzipSync(body, { level: 1 });
  return reply.type(FHIR_JSON).header('Content-Encoding', 'gzip').send(bundle.gzipped);
}
