import { QueryClient } from '@tanstack/react-query';
import type { Location, Schedule } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFhirClient } from '../../../lib/fhirClient';
import { practitionerQueries, practitionerWorkQuery, scheduleLocations } from './practitionerQueries';

const BASE = 'http://other.test/r4';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const searchset = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});

/** Another system's schedules: the practitioner and the place by reference, with no display. */
const schedules: Schedule[] = [
  {
    resourceType: 'Schedule',
    id: 'sched-1',
    actor: [{ reference: 'Practitioner/prac-1' }, { reference: 'Location/loc-1' }],
  },
  {
    resourceType: 'Schedule',
    id: 'sched-2',
    actor: [{ reference: 'Practitioner/prac-1' }, { reference: 'Location/loc-2', display: 'Karori Medical Centre' }],
  },
];
const ponsonby: Location = { resourceType: 'Location', id: 'loc-1', name: 'Ponsonby Family Health' };

function foreignServer(locationsAsked: string[]) {
  server.use(
    http.get(`${BASE}/Schedule`, () => HttpResponse.json(searchset(schedules))),
    http.get(`${BASE}/Location`, ({ request }) => {
      locationsAsked.push(new URL(request.url).searchParams.get('_id') ?? '');
      return HttpResponse.json(searchset([ponsonby]));
    }),
  );
}

const client = () => createFhirClient(BASE, null, 'http://app.test/');

describe('places named by the resource when the schedule has no display', () => {
  it('reads the Location for its name, only for the schedules that do not name it, and never shows an id', async () => {
    const asked: string[] = [];
    foreignServer(asked);
    const found = await new QueryClient().fetchQuery(practitionerQueries.schedules(client(), 'prac-1'));
    expect(scheduleLocations(found)).toEqual([
      { id: 'loc-1', name: 'Ponsonby Family Health' },
      { id: 'loc-2', name: 'Karori Medical Centre' },
    ]);
    expect(asked).toEqual(['loc-1']);
  });

  it('names the places each practitioner works by the same reading', async () => {
    foreignServer([]);
    const work = await new QueryClient().fetchQuery(practitionerWorkQuery(client()));
    expect(work['prac-1'].places).toEqual(['Ponsonby Family Health', 'Karori Medical Centre']);
  });

  it('says "Unnamed location" rather than an id for a place nobody names', () => {
    expect(scheduleLocations([{ scheduleId: 'sched-9', locationId: 'loc-9' }])).toEqual([
      { id: 'loc-9', name: 'Unnamed location' },
    ]);
  });
});

describe("a practitioner's schedules, from the list of every schedule the app holds", () => {
  /** Every Schedule search the server saw, as its query string. */
  function countingServer(asked: string[], listed: Schedule[] = schedules) {
    server.use(
      http.get(`${BASE}/Schedule`, ({ request }) => {
        const actor = new URL(request.url).searchParams.get('actor');
        asked.push(actor ? `actor=${actor}` : 'all');
        return HttpResponse.json(
          searchset(
            actor ? listed.filter((schedule) => schedule.actor.some((found) => found.reference === actor)) : listed,
          ),
        );
      }),
      http.get(`${BASE}/Location`, () => HttpResponse.json(searchset([ponsonby]))),
    );
  }

  it('asks nothing more for a practitioner the whole list names, and holds what asking would have answered', async () => {
    const asked: string[] = [];
    countingServer(asked);
    const alone = await new QueryClient().fetchQuery(practitionerQueries.schedules(client(), 'prac-1'));

    const queryClient = new QueryClient();
    await queryClient.fetchQuery(practitionerWorkQuery(client()));
    const held = await queryClient.fetchQuery(practitionerQueries.schedules(client(), 'prac-1'));
    expect(held).toEqual(alone);
    expect(asked).toEqual(['actor=Practitioner/prac-1', 'all']);
  });

  it('gives each practitioner of a shared schedule their schedules, and the role and places they work', async () => {
    const shared: Schedule = {
      resourceType: 'Schedule',
      id: 'sched-3',
      serviceType: [{ coding: [{ code: '59' }] }],
      actor: [
        { reference: 'Practitioner/prac-2' },
        { reference: 'Practitioner/prac-3' },
        { reference: 'Location/loc-2', display: 'Karori Medical Centre' },
      ],
    };
    const asked: string[] = [];
    countingServer(asked, [shared]);
    const queryClient = new QueryClient();
    const work = await queryClient.fetchQuery(practitionerWorkQuery(client()));
    expect(work['prac-3']).toEqual({ role: 'Nurse', places: ['Karori Medical Centre'] });
    expect(await queryClient.fetchQuery(practitionerQueries.schedules(client(), 'prac-3'))).toEqual([
      { scheduleId: 'sched-3', locationId: 'loc-2', locationName: 'Karori Medical Centre', onlineBookable: undefined },
    ]);
    expect(asked).toEqual(['all']);
  });

  it('asks the server for a practitioner the list does not name (no active schedule there)', async () => {
    const asked: string[] = [];
    countingServer(asked, [{ ...schedules[0], active: false }, schedules[1]]);
    const queryClient = new QueryClient();
    await queryClient.fetchQuery(practitionerWorkQuery(client()));
    await queryClient.fetchQuery(practitionerQueries.schedules(client(), 'prac-9'));
    expect(asked).toEqual(['all', 'actor=Practitioner/prac-9']);
  });
});
