/** `_elements`: what is kept of a resource, by the R4 definitions' mandatory elements and choice types. */
import type { Patient, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { SUBSETTED, withElements } from './elements';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-a',
  meta: { versionId: '2', tag: [{ system: 'http://example.org/tags', code: 'demo' }] },
  name: [{ family: 'Ngātai' }],
  birthDate: '1984-07-19',
  _birthDate: { extension: [{ url: 'http://example.org/accuracy', valueCode: 'estimated' }] },
  deceasedBoolean: false,
  gender: 'female',
};

describe('withElements', () => {
  it('keeps the elements asked for (with their primitive extensions), id and meta, tagged SUBSETTED beside its tags', () => {
    expect(withElements(patient, ['birthDate'])).toEqual({
      resourceType: 'Patient',
      id: 'pat-a',
      meta: { versionId: '2', tag: [{ system: 'http://example.org/tags', code: 'demo' }, SUBSETTED] },
      birthDate: '1984-07-19',
      _birthDate: patient._birthDate,
    });
  });

  it('keeps a choice element asked for by its stem, and nothing that only starts like it', () => {
    const subset = withElements(patient, ['deceased', 'gen']) as Patient;
    expect(subset.deceasedBoolean).toBe(false);
    expect(subset.gender).toBeUndefined();
  });

  it("keeps the type's mandatory elements whatever is asked, so the subset is still valid", () => {
    const slot: Slot = {
      resourceType: 'Slot',
      id: 's-1',
      schedule: { reference: 'Schedule/x' },
      status: 'free',
      start: '2026-12-01T09:00:00+13:00',
      end: '2026-12-01T09:15:00+13:00',
      comment: 'kept out',
    };
    expect(Object.keys(withElements(slot, [])).sort()).toEqual(
      ['end', 'id', 'meta', 'resourceType', 'schedule', 'start', 'status'].sort(),
    );
  });
});
