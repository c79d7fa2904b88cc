import { describe, expect, it } from 'vitest';
import type { TabCache } from '../../../lib/config';
import { discoverSmart, DiscoveryFailed } from './smartDiscovery';

const FHIR = new URL('http://fhir.test/r4/');
const CONFIGURATION = {
  issuer: 'http://auth.test',
  authorization_endpoint: 'http://auth.test/authorize',
  token_endpoint: 'http://auth.test/token',
};

function tab(): TabCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}

/** A fetch that answers each call with the next response and counts the calls. */
function answers(...responses: Array<() => Response>) {
  const calls: string[] = [];
  const fetchFn = (async (url: URL | RequestInfo) => {
    calls.push(String(url));
    const next = responses[Math.min(calls.length - 1, responses.length - 1)];
    return next();
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('SMART discovery once per tab', () => {
  it('asks the server on the first page load and the tab on the next', async () => {
    const cache = tab();
    const server = answers(() => Response.json(CONFIGURATION));
    const first = await discoverSmart(FHIR, server.fetchFn, cache);
    const second = await discoverSmart(FHIR, server.fetchFn, cache);
    expect(first).toEqual({
      kind: 'smart',
      endpoints: {
        issuer: 'http://auth.test',
        authorizationEndpoint: 'http://auth.test/authorize',
        tokenEndpoint: 'http://auth.test/token',
      },
    });
    expect(second).toEqual(first);
    expect(server.calls).toEqual(['http://fhir.test/r4/.well-known/smart-configuration']);
  });

  it('keeps an open server open, and each FHIR server apart', async () => {
    const cache = tab();
    const open = answers(() => new Response('Not found', { status: 404 }));
    expect(await discoverSmart(FHIR, open.fetchFn, cache)).toEqual({ kind: 'open' });
    expect(await discoverSmart(FHIR, open.fetchFn, cache)).toEqual({ kind: 'open' });
    const other = answers(() => Response.json(CONFIGURATION));
    expect((await discoverSmart(new URL('http://other.test/fhir/'), other.fetchFn, cache)).kind).toBe('smart');
    expect([open.calls.length, other.calls.length]).toEqual([1, 1]);
  });

  it('keeps no failure: the next page load asks again', async () => {
    const cache = tab();
    const server = answers(
      () => new Response(null, { status: 503 }),
      () => Response.json(CONFIGURATION),
    );
    await expect(discoverSmart(FHIR, server.fetchFn, cache)).rejects.toBeInstanceOf(DiscoveryFailed);
    expect((await discoverSmart(FHIR, server.fetchFn, cache)).kind).toBe('smart');
    expect(server.calls).toHaveLength(2);
  });

  it('checks what the tab kept as it checks the server answer', async () => {
    const cache = tab();
    cache.setItem(
      `nz-appointments.smart-discovery ${FHIR.href}`,
      JSON.stringify({
        kind: 'smart',
        endpoints: { authorizationEndpoint: 'javascript:alert(1)', tokenEndpoint: 'x' },
      }),
    );
    const server = answers(() => Response.json(CONFIGURATION));
    expect((await discoverSmart(FHIR, server.fetchFn, cache)).kind).toBe('smart');
    expect(server.calls).toHaveLength(1);
  });
});
