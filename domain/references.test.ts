import { describe, expect, it } from 'vitest';
import { parseReference, scheduleActorIds } from './references';

describe('parseReference', () => {
  it('takes apart a relative or absolute reference, with or without a version, and nothing else', () => {
    expect(parseReference('Practitioner/prac-1')).toEqual({ resourceType: 'Practitioner', id: 'prac-1' });
    expect(parseReference('https://clinic.example.nz/fhir/Location/loc-1/_history/2')).toEqual({
      resourceType: 'Location',
      id: 'loc-1',
    });
    expect(parseReference('prac-1')).toBeUndefined();
    expect(parseReference(undefined)).toBeUndefined();
  });
});

describe('scheduleActorIds', () => {
  it("gives the ids of a schedule's actors of one type in order, skipping references it cannot read", () => {
    const shared = {
      actor: [
        { reference: 'Practitioner/prac-2' },
        { reference: 'Location/loc-1' },
        { display: 'A locum, not yet recorded' },
        { reference: 'not a reference' },
        { reference: 'Practitioner/prac-3' },
      ],
    };
    expect(scheduleActorIds(shared, 'Practitioner')).toEqual(['prac-2', 'prac-3']);
    expect(scheduleActorIds(shared, 'Location')).toEqual(['loc-1']);
    expect(scheduleActorIds(shared, 'Patient')).toEqual([]);
    expect(scheduleActorIds(undefined, 'Practitioner')).toEqual([]);
  });
});
