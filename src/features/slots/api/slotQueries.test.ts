import { describe, expect, it } from 'vitest';
import { createFhirClient } from '../../../lib/fhirClient';
import { FHIR_BASE } from '../../../test/fhirFixtures';
import { slotQueries } from './slotQueries';

const client = createFhirClient(FHIR_BASE, 'F0K068-B', 'http://app.test/', null);
const request = {
  practitionerId: 'prac-1',
  scheduleIds: ['sched-2', 'sched-1'],
  weekStart: '2031-03-03',
  timeZone: 'Pacific/Auckland',
};

describe('slotQueries', () => {
  it("keys a practitioner's week by everything its search reads, the time zone included", () => {
    const auckland = slotQueries.week(client, request).queryKey;
    expect(slotQueries.week(client, { ...request, timeZone: 'Pacific/Chatham' }).queryKey).not.toEqual(auckland);
    expect(slotQueries.week(client, { ...request, scheduleIds: ['sched-1', 'sched-2'] }).queryKey).toEqual(auckland);
  });
});
