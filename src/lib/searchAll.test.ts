import type { Bundle, FhirResource, Location, Schedule, Slot } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFhirClient } from './fhirClient';
import { hasMore, IncompleteListError, searchAll, searchWhole } from './searchAll';

const BASE = 'http://other.test/r4';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => createFhirClient(BASE, null, 'http://app.test/');

function slot(n: number): Slot {
  return {
    resourceType: 'Slot',
    id: `slot-${n}`,
    schedule: { reference: `Schedule/sched-${n % 2}` },
    status: 'free',
    start: `2031-03-04T09:${String(n).padStart(2, '0')}:00+13:00`,
    end: `2031-03-04T09:${String(n + 1).padStart(2, '0')}:00+13:00`,
  };
}

function searchset(resources: FhirResource[], extra: Partial<Bundle> = {}): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })), ...extra };
}

/** A server that caps `_count` at 2 whatever is asked, and pages with its own next links. */
function cappingServer(all: Slot[], asked: string[]) {
  server.use(
    http.get(`${BASE}/Slot`, ({ request }) => {
      const url = new URL(request.url);
      asked.push(url.search);
      const offset = Number(url.searchParams.get('page-offset') ?? 0);
      const next = new URL(url);
      next.searchParams.set('page-offset', String(offset + 2));
      return HttpResponse.json(
        searchset(all.slice(offset, offset + 2), {
          total: all.length,
          link: offset + 2 < all.length ? [{ relation: 'next', url: next.href }] : [],
        }),
      );
    }),
  );
}

describe('searchAll', () => {
  it('follows next links to the end on a server that caps _count, so nothing is cut off', async () => {
    const asked: string[] = [];
    cappingServer([1, 2, 3, 4, 5].map(slot), asked);
    const result = await searchAll<Slot>(client(), 'Slot', [
      ['status', 'free'],
      ['_count', '1000'],
    ]);
    expect(result.matches.map((found) => found.id)).toEqual(['slot-1', 'slot-2', 'slot-3', 'slot-4', 'slot-5']);
    expect(result.complete).toBe(true);
    expect(asked).toHaveLength(3);
  });

  it('says the list is not complete when the server counts more than it sends and gives no next link', async () => {
    server.use(http.get(`${BASE}/Slot`, () => HttpResponse.json(searchset([slot(1), slot(2)], { total: 7 }))));
    const result = await searchAll<Slot>(client(), 'Slot', []);
    expect(result).toMatchObject({ complete: false });
    expect(result.matches).toHaveLength(2);
    await expect(searchWhole('slots', client(), 'Slot', [])).rejects.toBeInstanceOf(IncompleteListError);
    await expect(searchWhole('slots', client(), 'Slot', [])).rejects.toThrow(/did not give the whole list of slots/);
  });

  it('takes a server that does not count at its word when it gives no next link', async () => {
    server.use(http.get(`${BASE}/Slot`, () => HttpResponse.json(searchset([slot(1)]))));
    expect(await searchWhole('slots', client(), 'Slot', [])).toMatchObject({ matches: [slot(1)] });
  });
});

describe('hasMore', () => {
  it('is true with a next link or a total beyond the page, false otherwise', () => {
    expect(hasMore(searchset([slot(1)], { link: [{ relation: 'next', url: `${BASE}/Slot?p=2` }] }))).toBe(true);
    expect(hasMore(searchset([slot(1)], { total: 3 }))).toBe(true);
    expect(hasMore(searchset([slot(1)], { total: 1 }))).toBe(false);
    expect(hasMore(searchset([slot(1)]))).toBe(false);
  });
});

describe('_include on a server that ignores it', () => {
  const schedules: Schedule[] = [0, 1].map((n) => ({
    resourceType: 'Schedule',
    id: `sched-${n}`,
    actor: [{ reference: `Practitioner/prac-${n}` }],
  }));
  const ponsonby: Location = { resourceType: 'Location', id: 'loc-1', name: 'Ponsonby Family Health' };

  function capabilities(searchInclude: string[]) {
    server.use(
      http.get(`${BASE}/metadata`, () =>
        HttpResponse.json({
          resourceType: 'CapabilityStatement',
          status: 'active',
          kind: 'instance',
          fhirVersion: '4.0.1',
          format: ['json'],
          rest: [{ mode: 'server', resource: [{ type: 'Slot', searchInclude }] }],
        }),
      ),
    );
  }

  it('reads what the matches point to by _id, once per type, and adds it as included, on every page', async () => {
    const asked: string[] = [];
    capabilities([]);
    cappingServer([1, 2, 3].map(slot), []);
    server.use(
      http.get(`${BASE}/Schedule`, ({ request }) => {
        const ids = new URL(request.url).searchParams.get('_id')?.split(',') ?? [];
        asked.push(ids.join(','));
        return HttpResponse.json(searchset(schedules.filter((found) => ids.includes(found.id ?? ''))));
      }),
    );
    const result = await searchAll<Slot>(client(), 'Slot', [['_include', 'Slot:schedule']]);
    expect(result.matches).toHaveLength(3);
    expect(result.included.map((found) => found.id).sort()).toEqual(['sched-0', 'sched-1', 'sched-1']);
    // The second page's slot-3 points at sched-1 again: that page is completed on its own.
    expect(asked).toEqual(['sched-1,sched-0', 'sched-1']);
  });

  it('asks nothing more where the server declares the include, even when a reference is missing (no access, deleted)', async () => {
    capabilities(['Slot:schedule']);
    server.use(http.get(`${BASE}/Slot`, () => HttpResponse.json(searchset([slot(1)]))));
    const bundle = await client().search('Slot', [['_include', 'Slot:schedule']]);
    expect(bundle.entry).toHaveLength(1);
  });

  it('asks nothing, not even what the server declares, when the server included everything', async () => {
    server.use(
      http.get(`${BASE}/Slot`, () =>
        HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [
            { resource: slot(1), search: { mode: 'match' } },
            { resource: schedules[1], search: { mode: 'include' } },
          ],
        }),
      ),
    );
    const bundle = await client().search('Slot', [['_include', 'Slot:schedule']]);
    expect(bundle.entry).toHaveLength(2);
  });

  it('keeps a location the appointment names for the list when the server left it out', async () => {
    capabilities([]);
    server.use(
      http.get(`${BASE}/Appointment`, () =>
        HttpResponse.json(
          searchset([
            {
              resourceType: 'Appointment',
              id: 'a1',
              status: 'booked',
              participant: [{ actor: { reference: 'Location/loc-1' }, status: 'accepted' }],
            },
          ]),
        ),
      ),
      http.get(`${BASE}/Location`, () => HttpResponse.json(searchset([ponsonby]))),
    );
    const result = await searchAll(client(), 'Appointment', [['_include', 'Appointment:location']]);
    expect(result.included).toEqual([ponsonby]);
  });
});
