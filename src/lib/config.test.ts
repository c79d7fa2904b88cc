import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from './config';

describe('parseConfig', () => {
  it("takes the patients' cut-off in whole minutes", () => {
    expect(parseConfig({ patientChangeCutoffMinutes: 120 }).patientChangeCutoffMinutes).toBe(120);
    expect(parseConfig({ patientChangeCutoffMinutes: 0 }).patientChangeCutoffMinutes).toBe(0);
  });

  it('knows no cut-off when the file does not say, or says something that is not a number of minutes', () => {
    for (const value of [undefined, null, '120', -5, 1.5, Number.NaN])
      expect(parseConfig({ patientChangeCutoffMinutes: value }).patientChangeCutoffMinutes).toBeNull();
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
  });
});
