import type { FastifyRequest } from 'fastify';

/**
 * The path a request is for, whatever form its target took: `/fhir/Patient/x` and the absolute form
 * `http://host/fhir/Patient/x` (RFC 9112 3.2.2) are the same path. Never test `request.url` itself.
 */
export function pathOf(request: FastifyRequest): string {
  const url = request.url;
  if (url.startsWith('/')) {
    const query = url.indexOf('?');
    return query < 0 ? url : url.slice(0, query);
  }
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
