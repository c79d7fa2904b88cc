import { describe, expect, it } from 'vitest';
import { CHANGE_CUTOFF_CODING } from '../../../domain/practiceRules';
import { FhirRequestError } from '../../lib/fhirClient';
import { cutoffRefusal, pastChangeCutoff } from './changeCutoff';

const NOW = new Date('2026-12-01T08:00:00+13:00');
const inMinutes = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe("the patients' cut-off in the app", () => {
  it("uses the domain's rule and words, for the cut-off config.json gives", () => {
    expect(pastChangeCutoff('patient', inMinutes(120), NOW, 120)).toBeUndefined();
    expect(pastChangeCutoff('patient', inMinutes(119), NOW, 120)).toMatch(
      /until 2 hours before the start: please phone/,
    );
    expect(pastChangeCutoff('patient', inMinutes(119), NOW, 60)).toBeUndefined();
    expect(pastChangeCutoff('staff', inMinutes(10), NOW, 120)).toMatch(/please phone/);
  });

  it('knows nothing before the server says so when the cut-off is not configured', () => {
    expect(pastChangeCutoff('patient', inMinutes(1), NOW, null)).toBeUndefined();
  });

  it("recognises the server's refusal by its coding, whatever expression it names, and nothing else", () => {
    const refusal = (details?: object) =>
      new FhirRequestError(422, 'Unprocessable', [
        {
          severity: 'error',
          code: 'business-rule',
          diagnostics: 'Too late: phone.',
          expression: ['Parameters.parameter'],
          ...details,
        },
      ]);
    expect(cutoffRefusal(refusal({ details: { coding: [CHANGE_CUTOFF_CODING] } }))).toBe('Too late: phone.');
    expect(cutoffRefusal(refusal())).toBeUndefined();
    expect(cutoffRefusal(new FhirRequestError(409, 'Conflict'))).toBeUndefined();
    expect(cutoffRefusal(new Error('offline'))).toBeUndefined();
  });
});
