import type { Resource } from 'fhir/r4';
import { FhirError } from './fhirError';

/** The request body as a resource of the expected type, or a 400 that says what is wrong with it. */
export function requireResource<T extends Resource>(body: unknown, resourceType: T['resourceType']): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw FhirError.of(400, 'structure', `The body must be a JSON ${resourceType} resource.`);
  }
  const found = (body as { resourceType?: unknown }).resourceType;
  if (found !== resourceType) {
    throw FhirError.of(
      400,
      'structure',
      `The body must be a ${resourceType}, not ${typeof found === 'string' ? found.slice(0, 60) : 'something without a resourceType'}.`,
      'resourceType',
    );
  }
  return body as T;
}

/** `W/"3"` or `"3"` from an If-Match header; undefined when the header is absent. */
export function expectedVersion(ifMatch: string | string[] | undefined): string | undefined {
  if (ifMatch === undefined) return undefined;
  const value = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  const match = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(value);
  return match ? match[1] : value.trim();
}
