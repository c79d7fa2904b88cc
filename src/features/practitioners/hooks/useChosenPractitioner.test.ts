import { waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, fhirHandlers, type FhirWorld } from '../../../test/fhirFixtures';
import { renderHookInApp } from '../../../test/renderApp';
import { ANYONE } from '../components/PractitionerChoice';
import { useChosenPractitioner } from './useChosenPractitioner';

let world: FhirWorld;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  server.use(...fhirHandlers(world));
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('useChosenPractitioner', () => {
  it("one practitioner: their schedules with where each is kept, and every practitioner's name", async () => {
    const { result } = renderHookInApp(() => useChosenPractitioner('prac-1'));
    expect(result.current).toMatchObject({ chosen: true, anyone: false, practitionerId: 'prac-1' });
    await waitFor(() =>
      expect(result.current.schedules.data).toEqual([
        { scheduleId: 'sched-1', locationId: 'loc-1', locationName: 'Ponsonby Family Health' },
      ]),
    );
    await waitFor(() => expect(result.current.nameOf('prac-1')).toBe('Dr Mere Parata'));
  });

  it('anyone: no schedules to look up', async () => {
    const { result } = renderHookInApp(() => useChosenPractitioner(ANYONE));
    expect(result.current).toMatchObject({ chosen: true, anyone: true, practitionerId: '' });
    await waitFor(() => expect(result.current.nameOf('prac-1')).toBe('Dr Mere Parata'));
    expect(world.requests.filter((request) => request.startsWith('GET /Schedule'))).toEqual([]);
  });

  it('nothing chosen yet', () => {
    const { result } = renderHookInApp(() => useChosenPractitioner(undefined));
    expect(result.current).toMatchObject({ chosen: false, anyone: false, practitionerId: '' });
  });
});
