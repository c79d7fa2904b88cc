import { describe, expect, it } from 'vitest';
import { FhirError } from '../core/fhirError';
import { parseSearch, supportedSearchParameters } from './parseSearch';

const context = { timeZone: 'Pacific/Auckland', now: new Date('2030-03-04T00:00:00Z'), strict: false };

describe('parseSearch: channel and service-type', () => {
  it('reads channel on Slot and Appointment, any of a comma-separated list, each repeat a criterion of its own', () => {
    expect(parseSearch('Appointment', { channel: 'video,telephone' }, context).criteria).toEqual([
      { kind: 'token', param: 'channel', anyOf: [{ value: 'video' }, { value: 'telephone' }] },
    ]);
    const slot = parseSearch('Slot', { channel: ['in-person', '|video'] }, context).criteria.filter(
      (criterion) => criterion.kind === 'token',
    );
    expect(slot).toEqual([
      { kind: 'token', param: 'channel', anyOf: [{ value: 'in-person' }] },
      { kind: 'token', param: 'channel', anyOf: [{ value: 'video' }] },
    ]);
  });

  it('reads service-type as [system|]code on Schedule, Slot and Appointment', () => {
    const system = 'http://terminology.hl7.org/CodeSystem/service-type';
    for (const type of ['Schedule', 'Slot', 'Appointment'] as const) {
      expect(supportedSearchParameters(type)).toContain('service-type');
      const [criterion] = parseSearch(type, { 'service-type': `${system}|124,59` }, context).criteria;
      expect(criterion).toEqual({
        kind: 'token',
        param: 'service-type',
        anyOf: [{ system, value: '124' }, { value: '59' }],
      });
    }
    expect(supportedSearchParameters('Schedule')).not.toContain('channel');
  });

  it('refuses an empty code or a modifier with a 400 naming the parameter', () => {
    for (const query of [
      { channel: '' },
      { channel: ',' },
      { 'service-type': 'http://example.org|' },
      { 'channel:not': 'video' },
    ]) {
      const error = (() => {
        try {
          parseSearch('Slot', query, context);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error, JSON.stringify(query)).toBeInstanceOf(FhirError);
      expect((error as FhirError).status).toBe(400);
      expect((error as FhirError).issues[0].diagnostics).toMatch(/Search parameter "(channel|service-type)/);
    }
  });
});
