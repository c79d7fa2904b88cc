/**
 * How much work one request may ask for, checked before anything that could take long or blow up:
 * the URL's length, the number of parameters and of values per parameter, the size of a form body
 * and the nesting of a JSON body. Past a limit the answer is a 4xx saying which limit and what to do.
 */
import { FhirError } from '../core/fhirError';

export const LIMITS = {
  /** Bytes of the request target (path and query). */
  urlBytes: 8 * 1024,
  /** Distinct parameters, in the query or a form body. */
  parameters: 100,
  /** Values of one parameter, counting repeats and comma-separated lists. */
  valuesPerParameter: 100,
  /** Bytes of an application/x-www-form-urlencoded body (`_search`, the sign-in form, the token request). */
  formBodyBytes: 16 * 1024,
  /** Nesting of arrays and objects in a JSON body. */
  jsonDepth: 32,
} as const;

export function checkUrlLength(url: string): void {
  if (url.length > LIMITS.urlBytes || Buffer.byteLength(url) > LIMITS.urlBytes) {
    throw FhirError.of(
      414,
      'too-long',
      `The URL is longer than ${LIMITS.urlBytes / 1024} KB. Send fewer or shorter search parameters, or POST them to [type]/_search.`,
    );
  }
}

/** Refuses more than 100 parameters, or more than 100 values of one parameter (repeats and comma lists counted). */
export function checkParameters(values: Record<string, string | string[] | undefined> | null | undefined): void {
  if (typeof values !== 'object' || values === null) return;
  const names = Object.keys(values);
  if (names.length > LIMITS.parameters) {
    throw FhirError.of(
      400,
      'too-costly',
      `The request has ${names.length} parameters; at most ${LIMITS.parameters} are allowed.`,
    );
  }
  for (const name of names) {
    const raw = values[name];
    const list = Array.isArray(raw) ? raw : [raw ?? ''];
    let count = list.length;
    // Counted without splitting, so a value of a million commas costs no more than its length.
    for (const value of list)
      if (count <= LIMITS.valuesPerParameter)
        for (
          let at = String(value).indexOf(',');
          at >= 0 && count <= LIMITS.valuesPerParameter;
          at = String(value).indexOf(',', at + 1)
        )
          count += 1;
    if (count > LIMITS.valuesPerParameter) {
      throw FhirError.of(
        400,
        'too-costly',
        `The parameter "${name.slice(0, 40)}" has more than ${LIMITS.valuesPerParameter} values (repeats and comma-separated lists count); split the search up.`,
      );
    }
  }
}

/** Whether a JSON text nests arrays and objects deeper than the limit; strings are skipped, not parsed. */
export function jsonTooDeep(text: string, limit: number = LIMITS.jsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === 0x5c)
        at++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}

export function checkJsonDepth(text: string): void {
  if (jsonTooDeep(text))
    throw FhirError.of(
      400,
      'too-costly',
      `The JSON body is nested more than ${LIMITS.jsonDepth} levels deep; no FHIR resource here needs that.`,
    );
}
