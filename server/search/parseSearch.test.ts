/**
 * Query strings into SearchSpecs: every parameter domain.md lists, per resource type, becomes its
 * criterion; paging and _include are bounded; dates without an offset are clinic (Auckland) days;
 * malformed values are 400s in plain words; unknown parameters are ignored unless strict.
 */
import { describe, expect, it } from 'vitest';
import { FhirError } from '../core/fhirError';
import { NHI_SYSTEM } from '../../domain/identifiers';
import type { Criterion, SearchSpec, SearchableType } from '../storage/searchSpec';
import {
  DEFAULT_COUNT,
  MAX_COUNT,
  parseSearch,
  parseSearchRequest,
  supportedIncludes,
  supportedSortKeys,
  supportedSearchParameters,
  type QueryValues,
  type SearchContext,
} from './parseSearch';
import { boundsFor, dateBounds, instantBounds, parseDateValue } from './dateRange';

const AUCKLAND = 'Pacific/Auckland';
/** Monday 2 March 2026, 08:00 in Auckland (NZDT). */
const NOW = new Date('2026-03-01T19:00:00.000Z');
const LENIENT: SearchContext = { timeZone: AUCKLAND, now: NOW, strict: false };
const STRICT: SearchContext = { ...LENIENT, strict: true };

const parse = (type: SearchableType, query: QueryValues, context: SearchContext = LENIENT): SearchSpec =>
  parseSearch(type, query, context);
const criteria = (type: SearchableType, query: QueryValues, context: SearchContext = LENIENT): Criterion[] =>
  parse(type, query, context).criteria;
const at = (iso: string) => new Date(iso);

/** The FhirError a parse throws, failing the test if it does not throw one. */
function refusal(type: SearchableType, query: QueryValues, context: SearchContext = LENIENT): FhirError {
  try {
    parseSearch(type, query, context);
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error(`expected ${type}?${JSON.stringify(query)} to be refused`);
}

function expectBadRequest(
  type: SearchableType,
  query: QueryValues,
  diagnostics: string | RegExp,
  context: SearchContext = LENIENT,
): void {
  const error = refusal(type, query, context);
  expect(error.status).toBe(400);
  expect(error.issues).toHaveLength(1);
  expect(error.issues[0]).toMatchObject({ severity: 'error', code: 'invalid' });
  if (typeof diagnostics === 'string') expect(error.issues[0].diagnostics).toBe(diagnostics);
  else expect(error.issues[0].diagnostics).toMatch(diagnostics);
}

describe('defaults', () => {
  it('gives 50 per page from the start, ascending, with no includes and no criteria', () => {
    expect(parse('Appointment', {})).toEqual({
      resourceType: 'Appointment',
      criteria: [],
      count: 50,
      offset: 0,
      descending: false,
      include: [],
    });
    expect(DEFAULT_COUNT).toBe(50);
    expect(MAX_COUNT).toBe(1000);
  });

  it('searches slots from now to a week ahead when no start is given', () => {
    expect(criteria('Slot', {})).toEqual([
      { kind: 'instant', negate: false, range: { from: NOW, to: at('2026-03-08T19:00:00.000Z') } },
    ]);
    expect(criteria('Slot', { schedule: 'sched-1' })).toEqual([
      { kind: 'reference', param: 'schedule', anyOf: ['sched-1'] },
      { kind: 'instant', negate: false, range: { from: NOW, to: at('2026-03-08T19:00:00.000Z') } },
    ]);
  });

  it('replaces the slot window by the start given, however open it is', () => {
    expect(criteria('Slot', { start: 'ge2026-04-01' })).toEqual([
      { kind: 'instant', negate: false, range: { from: at('2026-03-31T11:00:00.000Z') } },
    ]);
  });

  it('gives no default window to other types', () => {
    for (const type of ['Patient', 'Practitioner', 'Location', 'Schedule', 'Appointment'] as const) {
      expect(criteria(type, {}), type).toEqual([]);
    }
  });
});

describe('paging and sorting', () => {
  it('reads _count and _offset', () => {
    expect(parse('Patient', { _count: '10', _offset: '20' })).toMatchObject({ count: 10, offset: 20 });
    expect(parse('Patient', { _count: '0' }).count).toBe(0);
  });

  it('caps _count at 1000 and _offset at 100,000', () => {
    expect(parse('Patient', { _count: '1001', _offset: '100001' })).toMatchObject({ count: 1000, offset: 100_000 });
    expect(parse('Patient', { _count: '999999999', _offset: '999999999' })).toMatchObject({
      count: 1000,
      offset: 100_000,
    });
  });

  it('takes the last value when _count is repeated', () => {
    expect(parse('Patient', { _count: ['5', '7'] }).count).toBe(7);
  });

  it.each(['-1', '1.5', 'ten', '', ' 5', '1e3', '0x10', '1234567890'])('refuses _count=%j', (value) => {
    expectBadRequest('Patient', { _count: value }, 'Search parameter "_count": give a whole number.');
  });

  it('refuses a malformed _offset', () => {
    expectBadRequest('Patient', { _offset: '-5' }, 'Search parameter "_offset": give a whole number.');
  });

  it('reads the _sort keys each type declares, a minus for descending', () => {
    expect(parse('Appointment', { _sort: '-date' })).toMatchObject({
      descending: true,
      sort: [{ param: 'date', descending: true }],
    });
    expect(parse('Appointment', { _sort: 'date,-_id' }).sort).toEqual([
      { param: 'date', descending: false },
      { param: '_id', descending: true },
    ]);
    expect(parse('Patient', { _sort: 'family,given,-birthdate' }).sort).toHaveLength(3);
    for (const type of [
      'Patient',
      'Practitioner',
      'Location',
      'Schedule',
      'Slot',
      'Appointment',
      'Provenance',
    ] as const)
      expect(parse(type, { _sort: supportedSortKeys(type).join(',') }).sort, type).toHaveLength(
        supportedSortKeys(type).length,
      );
  });

  it('ignores a _sort it cannot honour (the usual order, and no _sort in what was applied), or refuses it when strict', () => {
    for (const value of ['', 'family', 'date,gender']) {
      const request = parseSearchRequest('Appointment', { _sort: value }, LENIENT);
      expect(request.spec.sort, value).toBeUndefined();
      expect(request.applied, value).toEqual([]);
    }
    expectBadRequest(
      'Appointment',
      { _sort: 'family' },
      'Search parameter "_sort": Appointment sorts by _id, date (a leading - for descending).',
      STRICT,
    );
  });
});

describe('_include', () => {
  it.each([
    ['Appointment:patient', ['patient']],
    ['Appointment:practitioner', ['practitioner']],
    ['Appointment:location', ['location']],
    ['Appointment:actor', ['actor']],
    ['Appointment:actor:Patient', ['patient']],
    ['Appointment:actor:Practitioner', ['practitioner']],
    ['Appointment:actor:Location', ['location']],
    ['Appointment:*', ['actor']],
  ])('reads Appointment _include=%s', (value, include) => {
    expect(parse('Appointment', { _include: value }).include).toEqual(include);
  });

  it('reads Slot:schedule and Schedule:actor, and their wildcards', () => {
    expect(parse('Slot', { _include: 'Slot:schedule' }).include).toEqual(['schedule']);
    expect(parse('Slot', { _include: 'Slot:*' }).include).toEqual(['schedule']);
    expect(parse('Schedule', { _include: 'Schedule:actor' }).include).toEqual(['actor']);
    expect(parse('Schedule', { _include: 'Schedule:*' }).include).toEqual(['actor']);
  });

  it('takes several, each once', () => {
    const include = parse('Appointment', {
      _include: ['Appointment:patient', 'Appointment:actor:Patient', 'Appointment:location', 'Appointment:patient'],
    }).include;
    expect(include).toEqual(['patient', 'location']);
  });

  it("ignores includes of another type's search", () => {
    expect(parse('Slot', { _include: ['Appointment:patient', 'Slot:schedule'] }).include).toEqual(['schedule']);
    expect(parse('Appointment', { _include: 'Slot:schedule' }).include).toEqual([]);
  });

  it('ignores unknown includes unless strict, then refuses them', () => {
    expect(parse('Appointment', { _include: 'Appointment:slot' }).include).toEqual([]);
    expect(parse('Appointment', { _include: 'toString' }).include).toEqual([]);
    expectBadRequest(
      'Appointment',
      { _include: 'Appointment:slot' },
      'Search parameter "_include": "Appointment:slot" is not supported here.',
      STRICT,
    );
  });

  it('lists the includes each type supports, without wildcards or actor:Type forms', () => {
    expect(supportedIncludes('Appointment')).toEqual([
      'Appointment:patient',
      'Appointment:practitioner',
      'Appointment:location',
      'Appointment:actor',
    ]);
    expect(supportedIncludes('Slot')).toEqual(['Slot:schedule']);
    expect(supportedIncludes('Schedule')).toEqual(['Schedule:actor']);
    expect(supportedIncludes('Patient')).toEqual([]);
  });
});

describe('parameters per resource type', () => {
  it('lists what each type supports', () => {
    expect(supportedSearchParameters('Patient')).toEqual(['_id', 'name', 'family', 'given', 'birthdate', 'identifier']);
    expect(supportedSearchParameters('Practitioner')).toEqual(['_id', 'name', 'family', 'given', 'identifier']);
    expect(supportedSearchParameters('Location')).toEqual(['_id', 'name', 'identifier']);
    expect(supportedSearchParameters('Schedule')).toEqual(['_id', 'actor', 'service-type']);
    expect(supportedSearchParameters('Slot')).toEqual([
      '_id',
      'schedule',
      'schedule.actor',
      'schedule.actor.identifier',
      'start',
      'status',
      'channel',
      'service-type',
    ]);
    expect(supportedSearchParameters('Appointment')).toEqual([
      '_id',
      'patient',
      'practitioner',
      'location',
      'actor',
      'slot',
      'patient.identifier',
      'practitioner.identifier',
      'date',
      'status',
      'channel',
      'service-type',
    ]);
  });

  describe('_id', () => {
    it('reads one or more ids, each repeat a criterion of its own', () => {
      expect(criteria('Patient', { _id: 'pat-a' })).toEqual([{ kind: 'id', ids: ['pat-a'] }]);
      expect(criteria('Appointment', { _id: ' a1 , b.2,,c-3 ' })).toEqual([{ kind: 'id', ids: ['a1', 'b.2', 'c-3'] }]);
      expect(criteria('Slot', { _id: ['a', 'b'] }).slice(0, 2)).toEqual([
        { kind: 'id', ids: ['a'] },
        { kind: 'id', ids: ['b'] },
      ]);
    });

    it.each(['', ',', 'has space', 'Patient/pat-a', 'x'.repeat(65), 'émile'])('refuses _id=%j', (value) => {
      expectBadRequest(
        'Patient',
        { _id: value },
        'Search parameter "_id": give one or more resource ids, comma-separated.',
      );
    });
  });

  describe('names', () => {
    it('reads name, family and given as lower-case words without diacritics', () => {
      expect(criteria('Patient', { name: ' Ngātai  Te-Rangi ' })).toEqual([
        { kind: 'words', param: 'name', words: ['ngatai', 'te', 'rangi'] },
      ]);
      expect(criteria('Patient', { family: "Fa'asalele" })).toEqual([
        { kind: 'words', param: 'family', words: ["fa'asalele"] },
      ]);
      expect(criteria('Patient', { given: 'ARO' })).toEqual([{ kind: 'words', param: 'given', words: ['aro'] }]);
      // A phone's typographic apostrophe is the plain one: the same word, not two.
      expect(criteria('Patient', { name: 'O’Brien' })).toEqual([{ kind: 'words', param: 'name', words: ["o'brien"] }]);
      expect(criteria('Practitioner', { family: 'Tūhoe-Smith', given: 'Anna' })).toEqual([
        { kind: 'words', param: 'family', words: ['tuhoe', 'smith'] },
        { kind: 'words', param: 'given', words: ['anna'] },
      ]);
      expect(criteria('Location', { name: 'Ponsonby Family Health' })).toEqual([
        { kind: 'words', param: 'name', words: ['ponsonby', 'family', 'health'] },
      ]);
    });

    it('keeps at most ten words', () => {
      const [criterion] = criteria('Patient', { name: 'a b c d e f g h i j k l' });
      expect(criterion).toEqual({
        kind: 'words',
        param: 'name',
        words: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
      });
    });

    it.each(['', '   ', '%_', "''", '-.-'])('refuses name=%j, which has no letter or digit', (value) => {
      expectBadRequest(
        'Patient',
        { name: value },
        'Search parameter "name": give at least one letter or digit to search for.',
      );
    });
  });

  describe('identifiers', () => {
    it('reads a bare patient identifier as an NHI', () => {
      expect(criteria('Patient', { identifier: 'ZAC5361' })).toEqual([
        { kind: 'identifier', anyOf: [{ system: NHI_SYSTEM, value: 'ZAC5361' }] },
      ]);
    });

    it('reads an NHI written with a space or hyphen as the NHI written together, with or without its system', () => {
      expect(criteria('Patient', { identifier: 'ZAC 5361' })).toEqual([
        { kind: 'identifier', anyOf: [{ system: NHI_SYSTEM, value: 'ZAC5361' }] },
      ]);
      expect(criteria('Patient', { identifier: `${NHI_SYSTEM}|zbn-77vl` })).toEqual([
        { kind: 'identifier', anyOf: [{ system: NHI_SYSTEM, value: 'zbn77vl' }] },
      ]);
      expect(criteria('Patient', { identifier: 'http://example.org/mrn|12 345' })).toEqual([
        { kind: 'identifier', anyOf: [{ system: 'http://example.org/mrn', value: '12 345' }] },
      ]);
    });

    it('keeps a system given with a patient identifier, and takes several as alternatives', () => {
      expect(criteria('Patient', { identifier: 'http://example.org/mrn|12345,ZBN77VL' })).toEqual([
        {
          kind: 'identifier',
          anyOf: [
            { system: 'http://example.org/mrn', value: '12345' },
            { system: NHI_SYSTEM, value: 'ZBN77VL' },
          ],
        },
      ]);
    });

    it('gives a practitioner or location identifier no default system', () => {
      expect(criteria('Practitioner', { identifier: '99ZZZZ' })).toEqual([
        { kind: 'identifier', anyOf: [{ value: '99ZZZZ' }] },
      ]);
      expect(criteria('Practitioner', { identifier: '|99ZZZZ' })).toEqual([
        { kind: 'identifier', anyOf: [{ value: '99ZZZZ' }] },
      ]);
      expect(
        criteria('Location', { identifier: 'https://standards.digital.health.nz/ns/hpi-facility-id|FZZ999-B' }),
      ).toEqual([
        {
          kind: 'identifier',
          anyOf: [{ system: 'https://standards.digital.health.nz/ns/hpi-facility-id', value: 'FZZ999-B' }],
        },
      ]);
    });

    it.each(['', '|', 'http://example.org/mrn|', ','])('refuses identifier=%j, which has no value', (value) => {
      expectBadRequest(
        'Patient',
        { identifier: value },
        'Search parameter "identifier": give an identifier value, as [system|]value.',
      );
    });
  });

  describe('references', () => {
    it('reads a reference as Type/id, bare id, absolute URL or versioned reference', () => {
      for (const value of [
        'pat-a',
        'Patient/pat-a',
        'https://fhir.example.org/r4/Patient/pat-a',
        'Patient/pat-a/_history/2',
      ]) {
        expect(criteria('Appointment', { patient: value }), value).toEqual([
          { kind: 'reference', param: 'patient', anyOf: ['pat-a'] },
        ]);
      }
    });

    it('reads each reference parameter of Appointment, Slot and Schedule', () => {
      expect(criteria('Appointment', { practitioner: 'Practitioner/prac-1,prac-2' })).toEqual([
        { kind: 'reference', param: 'practitioner', anyOf: ['prac-1', 'prac-2'] },
      ]);
      expect(criteria('Appointment', { location: 'Location/loc-1' })).toEqual([
        { kind: 'reference', param: 'location', anyOf: ['loc-1'] },
      ]);
      expect(criteria('Appointment', { slot: 'Slot/slot-1' })).toEqual([
        { kind: 'reference', param: 'slot', anyOf: ['slot-1'] },
      ]);
      // Where a parameter points at several types, a type given is kept: it narrows the search.
      expect(criteria('Appointment', { actor: 'Patient/pat-a,Location/loc-1,prac-1' })).toEqual([
        { kind: 'reference', param: 'actor', anyOf: ['Patient/pat-a', 'Location/loc-1', 'prac-1'] },
      ]);
      expect(criteria('Slot', { schedule: 'Schedule/sched-1', start: 'ge2026-03-02' })[0]).toEqual({
        kind: 'reference',
        param: 'schedule',
        anyOf: ['sched-1'],
      });
      expect(criteria('Slot', { 'schedule.actor': 'Practitioner/prac-1', start: 'ge2026-03-02' })[0]).toEqual({
        kind: 'reference',
        param: 'schedule.actor',
        anyOf: ['Practitioner/prac-1'],
      });
      expect(criteria('Schedule', { actor: 'Location/loc-1' })).toEqual([
        { kind: 'reference', param: 'actor', anyOf: ['Location/loc-1'] },
      ]);
    });

    it.each([
      [
        'Appointment',
        'patient',
        'Practitioner/prac-1',
        'Search parameter "patient": "Practitioner/prac-1" is not a reference to Patient (use Type/id or id).',
      ],
      [
        'Appointment',
        'actor',
        'Device/d-1',
        'Search parameter "actor": "Device/d-1" is not a reference to Patient or Practitioner or Location (use Type/id or id).',
      ],
      [
        'Appointment',
        'slot',
        'has space',
        'Search parameter "slot": "has space" is not a reference to Slot (use Type/id or id).',
      ],
      [
        'Slot',
        'schedule',
        'Slot/s-1',
        'Search parameter "schedule": "Slot/s-1" is not a reference to Schedule (use Type/id or id).',
      ],
      [
        'Slot',
        'schedule.actor',
        'Patient/pat-a',
        'Search parameter "schedule.actor": "Patient/pat-a" is not a reference to Practitioner or Location (use Type/id or id).',
      ],
      [
        'Schedule',
        'actor',
        'Slot/s-1',
        'Search parameter "actor": "Slot/s-1" is not a reference to Practitioner or Location or Patient (use Type/id or id).',
      ],
    ] as const)('refuses %s %s=%s', (type, name, value, diagnostics) => {
      expectBadRequest(type, { [name]: value }, diagnostics);
    });

    it('refuses an empty reference', () => {
      expectBadRequest(
        'Appointment',
        { patient: '' },
        'Search parameter "patient": give a reference, as Type/id or id.',
      );
    });

    it('echoes no more than 80 characters of a reference it refuses', () => {
      const value = `Device/${'d'.repeat(120)}`;
      const { diagnostics } = refusal('Appointment', { actor: value }).issues[0];
      expect(diagnostics).toContain(`"${value.slice(0, 80)}"`);
      expect(diagnostics).not.toContain(value.slice(0, 81));
    });
  });

  describe('chained identifiers', () => {
    it('reads a bare patient.identifier as an NHI, as given (the store upper-cases NHIs)', () => {
      expect(criteria('Appointment', { 'patient.identifier': 'zac5361' })).toEqual([
        { kind: 'referenceIdentifier', param: 'patient', anyOf: [{ system: NHI_SYSTEM, value: 'zac5361' }] },
      ]);
    });

    it('keeps the system of patient.identifier when one is given', () => {
      expect(criteria('Appointment', { 'patient.identifier': `${NHI_SYSTEM}|ZAC5361` })).toEqual([
        { kind: 'referenceIdentifier', param: 'patient', anyOf: [{ system: NHI_SYSTEM, value: 'ZAC5361' }] },
      ]);
      expect(criteria('Appointment', { 'patient.identifier': 'http://example.org/mrn|ZAC5361' })).toEqual([
        {
          kind: 'referenceIdentifier',
          param: 'patient',
          anyOf: [{ system: 'http://example.org/mrn', value: 'ZAC5361' }],
        },
      ]);
    });

    it('gives practitioner.identifier and schedule.actor.identifier no default system', () => {
      expect(criteria('Appointment', { 'practitioner.identifier': '99ZZZZ' })).toEqual([
        { kind: 'referenceIdentifier', param: 'practitioner', anyOf: [{ value: '99ZZZZ' }] },
      ]);
      expect(criteria('Slot', { 'schedule.actor.identifier': 'FZZ999-B', start: 'ge2026-03-02' })[0]).toEqual({
        kind: 'referenceIdentifier',
        param: 'schedule.actor',
        anyOf: [{ value: 'FZZ999-B' }],
      });
    });

    it('refuses a chained identifier without a value', () => {
      expectBadRequest(
        'Appointment',
        { 'patient.identifier': `${NHI_SYSTEM}|` },
        'Search parameter "patient.identifier": give an identifier value, as [system|]value.',
      );
    });
  });

  describe('status', () => {
    it('reads one or more codes, dropping a system', () => {
      expect(criteria('Appointment', { status: 'booked' })).toEqual([{ kind: 'status', anyOf: ['booked'] }]);
      expect(criteria('Appointment', { status: 'cancelled,noshow,entered-in-error' })).toEqual([
        { kind: 'status', anyOf: ['cancelled', 'noshow', 'entered-in-error'] },
      ]);
      expect(criteria('Appointment', { status: 'http://hl7.org/fhir/appointmentstatus|booked' })).toEqual([
        { kind: 'status', anyOf: ['booked'] },
      ]);
      expect(criteria('Slot', { status: 'free', start: 'ge2026-03-02' })[0]).toEqual({
        kind: 'status',
        anyOf: ['free'],
      });
    });

    it('drops empty alternatives', () => {
      expect(criteria('Appointment', { status: 'booked,,' })).toEqual([{ kind: 'status', anyOf: ['booked'] }]);
    });

    it.each(['', ',', 'BOOKED', 'book ed', "booked'", 'x'.repeat(41)])('refuses status=%j', (value) => {
      expectBadRequest(
        'Appointment',
        { status: value },
        'Search parameter "status": give one or more status codes, comma-separated.',
      );
    });
  });

  describe('birthdate', () => {
    it('reads calendar dates (no zone: a birth date is a day, not an instant)', () => {
      expect(criteria('Patient', { birthdate: '1984-07-19' })).toEqual([
        { kind: 'birthdate', range: { from: '1984-07-19', to: '1984-07-20' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: '1984' })).toEqual([
        { kind: 'birthdate', range: { from: '1984-01-01', to: '1985-01-01' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: '1984-12' })).toEqual([
        { kind: 'birthdate', range: { from: '1984-12-01', to: '1985-01-01' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: '2024-02' })).toEqual([
        { kind: 'birthdate', range: { from: '2024-02-01', to: '2024-03-01' }, negate: false },
      ]);
    });

    it('reads prefixes into open ranges, ne as a negated range', () => {
      expect(criteria('Patient', { birthdate: 'lt1984-07-19' })).toEqual([
        { kind: 'birthdate', range: { to: '1984-07-19' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: 'le1984-07-19' })).toEqual([
        { kind: 'birthdate', range: { to: '1984-07-20' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: 'gt1984-07-19' })).toEqual([
        { kind: 'birthdate', range: { from: '1984-07-20' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: 'ge1984-07' })).toEqual([
        { kind: 'birthdate', range: { from: '1984-07-01' }, negate: false },
      ]);
      expect(criteria('Patient', { birthdate: 'ne1984-07-19' })).toEqual([
        { kind: 'birthdate', range: { from: '1984-07-19', to: '1984-07-20' }, negate: true },
      ]);
    });

    it('refuses an impossible date, with an example of a good one', () => {
      expectBadRequest(
        'Patient',
        { birthdate: '1983-02-29' },
        'Search parameter "birthdate": "1983-02-29" is not a date, like 1980-02-29.',
      );
      expect(criteria('Patient', { birthdate: '1980-02-29' })).toHaveLength(1);
    });
  });
});

describe('date and start (instants)', () => {
  const only = (type: 'Appointment' | 'Slot', value: string | string[]) =>
    criteria(type, type === 'Appointment' ? { date: value } : { start: value });

  it("reads a day without an offset as the clinic's day in Auckland", () => {
    // 1 December 2026 in Auckland (NZDT) runs from 11:00 UTC on 30 November to 11:00 UTC on 1 December.
    expect(only('Appointment', '2026-12-01')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-11-30T11:00:00.000Z'), to: at('2026-12-01T11:00:00.000Z') },
      },
    ]);
    // In winter (NZST) the day starts at 12:00 UTC.
    expect(only('Appointment', '2026-07-01')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-06-30T12:00:00.000Z'), to: at('2026-07-01T12:00:00.000Z') },
      },
    ]);
  });

  it('reads the day in the zone the context gives', () => {
    expect(criteria('Appointment', { date: '2026-12-01' }, { ...LENIENT, timeZone: 'UTC' })).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-12-01T00:00:00.000Z'), to: at('2026-12-02T00:00:00.000Z') },
      },
    ]);
  });

  it('makes the daylight-saving switch days 25 and 23 hours long', () => {
    expect(only('Appointment', '2026-04-05')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-04-04T11:00:00.000Z'), to: at('2026-04-05T12:00:00.000Z') },
      },
    ]);
    expect(only('Appointment', '2026-09-27')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-09-26T12:00:00.000Z'), to: at('2026-09-27T11:00:00.000Z') },
      },
    ]);
  });

  it.each([
    ['ge', { from: at('2026-11-30T11:00:00.000Z') }, false],
    ['gt', { from: at('2026-12-01T11:00:00.000Z') }, false],
    ['sa', { from: at('2026-12-01T11:00:00.000Z') }, false],
    ['le', { to: at('2026-12-01T11:00:00.000Z') }, false],
    ['lt', { to: at('2026-11-30T11:00:00.000Z') }, false],
    ['eb', { to: at('2026-11-30T11:00:00.000Z') }, false],
    ['eq', { from: at('2026-11-30T11:00:00.000Z'), to: at('2026-12-01T11:00:00.000Z') }, false],
    ['ap', { from: at('2026-11-30T11:00:00.000Z'), to: at('2026-12-01T11:00:00.000Z') }, false],
    ['ne', { from: at('2026-11-30T11:00:00.000Z'), to: at('2026-12-01T11:00:00.000Z') }, true],
  ])('reads the prefix %s on a clinic day', (prefix, range, negate) => {
    expect(only('Appointment', `${prefix}2026-12-01`)).toEqual([{ kind: 'instant', range, negate }]);
  });

  it('reads a comma as any of the dates (FHIR: a comma is OR), and repeats as all of them', () => {
    const day = (date: string) => only('Appointment', date)[0];
    expect(only('Appointment', '2026-12-01,2026-12-03')).toEqual([
      { kind: 'either', anyOf: [day('2026-12-01'), day('2026-12-03')] },
    ]);
    expect(criteria('Patient', { birthdate: '1984-07-19,1990' })).toEqual([
      {
        kind: 'either',
        anyOf: [
          { kind: 'birthdate', range: { from: '1984-07-19', to: '1984-07-20' }, negate: false },
          { kind: 'birthdate', range: { from: '1990-01-01', to: '1991-01-01' }, negate: false },
        ],
      },
    ]);
    // A slot search with dates of its own gets no default window.
    expect(criteria('Slot', { start: '2026-12-01,2026-12-03' })).toHaveLength(1);
  });

  it('refuses a date parameter with no date in it', () => {
    for (const value of ['', ',', ' , '])
      expectBadRequest('Appointment', { date: value }, 'Search parameter "date": give a date, like 2026-12-01.');
    expectBadRequest('Patient', { birthdate: '' }, 'Search parameter "birthdate": give a date, like 2026-12-01.');
  });

  it('reads ge and le together as two criteria that both apply', () => {
    expect(only('Appointment', ['ge2026-12-01', 'le2026-12-07'])).toEqual([
      { kind: 'instant', negate: false, range: { from: at('2026-11-30T11:00:00.000Z') } },
      { kind: 'instant', negate: false, range: { to: at('2026-12-07T11:00:00.000Z') } },
    ]);
  });

  it('reads a time with an offset as that instant, to the precision given', () => {
    expect(only('Appointment', 'ge2026-12-01T09:30:00+13:00')).toEqual([
      { kind: 'instant', negate: false, range: { from: at('2026-11-30T20:30:00.000Z') } },
    ]);
    // le and gt use the end of the second given.
    expect(only('Appointment', 'le2026-12-01T09:30:00Z')).toEqual([
      { kind: 'instant', negate: false, range: { to: at('2026-12-01T09:30:01.000Z') } },
    ]);
    expect(only('Slot', 'gt2026-12-01T09:30:00-05:00')).toEqual([
      { kind: 'instant', negate: false, range: { from: at('2026-12-01T14:30:01.000Z') } },
    ]);
    // Minutes only: the whole minute.
    expect(only('Appointment', '2026-12-01T09:30Z')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-12-01T09:30:00.000Z'), to: at('2026-12-01T09:31:00.000Z') },
      },
    ]);
    // Fractions of a second: to the digit given, then milliseconds.
    expect(only('Appointment', '2026-12-01T09:30:00.5Z')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-12-01T09:30:00.500Z'), to: at('2026-12-01T09:30:00.600Z') },
      },
    ]);
    expect(only('Appointment', '2026-12-01T09:30:00.123456+13:00')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-11-30T20:30:00.123Z'), to: at('2026-11-30T20:30:00.124Z') },
      },
    ]);
  });

  it('reads a time without an offset as wall-clock time in Auckland, summer or winter', () => {
    expect(only('Appointment', 'ge2026-12-01T09:30')).toEqual([
      { kind: 'instant', negate: false, range: { from: at('2026-11-30T20:30:00.000Z') } },
    ]);
    expect(only('Appointment', 'ge2026-07-01T09:30:15')).toEqual([
      { kind: 'instant', negate: false, range: { from: at('2026-06-30T21:30:15.000Z') } },
    ]);
    expect(only('Slot', 'lt2026-09-27T03:00')).toEqual([
      { kind: 'instant', negate: false, range: { to: at('2026-09-26T14:00:00.000Z') } },
    ]);
  });

  it('reads a month or a year as clinic months and years', () => {
    expect(only('Appointment', '2026-12')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2026-11-30T11:00:00.000Z'), to: at('2026-12-31T11:00:00.000Z') },
      },
    ]);
    expect(only('Appointment', '2026')).toEqual([
      {
        kind: 'instant',
        negate: false,
        range: { from: at('2025-12-31T11:00:00.000Z'), to: at('2026-12-31T11:00:00.000Z') },
      },
    ]);
  });

  it.each([
    '2026-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-12-32',
    '0000-01-01',
    '2026-12-01T24:00',
    '2026-12-01T09:60',
    '2026-12-01T09:30:60Z',
    '2026-12-01T09:30:00+25:00',
    '2026-12-01T09:30:00+1300',
    '2026-12-01T9:30',
    '2026-12-1',
    '01-12-2026',
    'tomorrow',
    'xx2026-12-01',
    'ge',
    'GE2026-12-01',
    '2026-12-01 09:30',
  ])('refuses date=%j in plain words, with examples', (value) => {
    expectBadRequest(
      'Appointment',
      { date: value },
      `Search parameter "date": "${value}" is not a date, like ge2026-12-01 or lt2026-12-01T09:30:00+13:00.`,
    );
  });

  it('names the parameter that was malformed', () => {
    expectBadRequest(
      'Slot',
      { start: 'soon' },
      'Search parameter "start": "soon" is not a date, like ge2026-12-01 or lt2026-12-01T09:30:00+13:00.',
    );
  });
});

describe('dateRange', () => {
  it('parses a value into its prefix, instants and calendar dates', () => {
    expect(parseDateValue('lt2026-04-05', AUCKLAND)).toEqual({
      prefix: 'lt',
      low: at('2026-04-04T11:00:00.000Z'),
      high: at('2026-04-05T12:00:00.000Z'),
      lowDate: '2026-04-05',
      highDate: '2026-04-06',
    });
    expect(parseDateValue('2026-12-31', AUCKLAND)).toMatchObject({
      prefix: 'eq',
      lowDate: '2026-12-31',
      highDate: '2027-01-01',
    });
    expect(parseDateValue('2026-12-01T09:30:00Z', AUCKLAND)).toMatchObject({
      lowDate: '2026-12-01',
      highDate: '2026-12-02',
    });
    expect(parseDateValue('2026-12-01T', AUCKLAND)).toBeUndefined();
  });

  it('bounds a point by each prefix: from is inclusive, to exclusive', () => {
    expect(boundsFor('ge', 1, 2)).toEqual({ range: { from: 1 }, negate: false });
    expect(boundsFor('gt', 1, 2)).toEqual({ range: { from: 2 }, negate: false });
    expect(boundsFor('sa', 1, 2)).toEqual({ range: { from: 2 }, negate: false });
    expect(boundsFor('le', 1, 2)).toEqual({ range: { to: 2 }, negate: false });
    expect(boundsFor('lt', 1, 2)).toEqual({ range: { to: 1 }, negate: false });
    expect(boundsFor('eb', 1, 2)).toEqual({ range: { to: 1 }, negate: false });
    expect(boundsFor('eq', 1, 2)).toEqual({ range: { from: 1, to: 2 }, negate: false });
    expect(boundsFor('ap', 1, 2)).toEqual({ range: { from: 1, to: 2 }, negate: false });
    expect(boundsFor('ne', 1, 2)).toEqual({ range: { from: 1, to: 2 }, negate: true });
  });

  it('gives instants for instant bounds and dates for date bounds', () => {
    const parsed = parseDateValue('ge2026-09-27', AUCKLAND);
    if (!parsed) throw new Error('expected a date');
    expect(instantBounds(parsed)).toEqual({ range: { from: at('2026-09-26T12:00:00.000Z') }, negate: false });
    expect(dateBounds(parsed)).toEqual({ range: { from: '2026-09-27' }, negate: false });
  });
});

describe('unknown and malformed parameters', () => {
  it('ignores parameters a type does not support, unless strict', () => {
    expect(criteria('Patient', { gender: 'female', 'address-city': 'Auckland', 'address-city:exact': 'x' })).toEqual(
      [],
    );
    expect(criteria('Location', { given: 'x' })).toEqual([]);
    expect(criteria('Appointment', { birthdate: '1984' })).toEqual([]);
  });

  it('refuses them when the client asked for strict handling, naming the parameter and the type', () => {
    expectBadRequest('Patient', { gender: 'female' }, 'Search parameter "gender": not supported for Patient.', STRICT);
    expectBadRequest('Location', { given: 'x' }, 'Search parameter "given": not supported for Location.', STRICT);
    expectBadRequest(
      'Patient',
      { 'address-city:exact': 'x' },
      'Search parameter "address-city:exact": not supported for Patient.',
      STRICT,
    );
  });

  it('does not take inherited object properties for parameters', () => {
    expect(criteria('Patient', { constructor: 'x', toString: 'y', hasOwnProperty: 'z' })).toEqual([]);
    expectBadRequest(
      'Patient',
      { constructor: 'x' },
      'Search parameter "constructor": not supported for Patient.',
      STRICT,
    );
  });

  it('accepts the result parameters it honours, even when strict, and says they were applied', () => {
    const query = {
      _format: 'json',
      _pretty: 'false',
      _summary: 'count',
      _elements: 'name,birthDate',
      _total: 'accurate',
    };
    const request = parseSearchRequest('Patient', query, STRICT);
    expect(request.spec).toEqual({
      resourceType: 'Patient',
      criteria: [],
      count: 50,
      offset: 0,
      descending: false,
      include: [],
    });
    expect(request.shape).toEqual({ summary: 'count', elements: ['name', 'birthDate'] });
    expect(request.applied).toEqual([
      ['_format', 'json'],
      ['_pretty', 'false'],
      ['_summary', 'count'],
      ['_elements', 'name,birthDate'],
      ['_total', 'accurate'],
    ]);
  });

  it.each([
    ['_summary', 'true'],
    ['_summary', 'text'],
    ['_elements', 'name.family'],
    ['_total', 'none'],
    ['_pretty', 'true'],
    ['_sort', 'gender'],
    ['_include', 'Appointment:patient'],
    ['_revinclude', 'Provenance:target'],
    ['gender', 'female'],
    ['_lastUpdated', 'ge2026-01-01'],
  ])('leaves %s=%s out of what was applied, and refuses it when strict', (name, value) => {
    const request = parseSearchRequest('Patient', { [name]: value, family: 'smith' }, LENIENT);
    expect(request.applied).toEqual([['family', 'smith']]);
    expect(request.shape).toEqual({});
    expect(refusal('Patient', { [name]: value }, STRICT).status).toBe(400);
  });

  it('refuses a modifier on a supported parameter, strict or not', () => {
    expectBadRequest(
      'Patient',
      { 'name:exact': 'Smith' },
      'Search parameter "name:exact": the modifier ":exact" is not supported.',
    );
    expectBadRequest(
      'Appointment',
      { 'date:missing': 'true' },
      'Search parameter "date:missing": the modifier ":missing" is not supported.',
    );
  });

  it('refuses a value longer than 256 characters, and a NUL character', () => {
    expect(criteria('Patient', { name: 'a'.repeat(256) })).toEqual([
      { kind: 'words', param: 'name', words: ['a'.repeat(256)] },
    ]);
    expectBadRequest('Patient', { name: 'a'.repeat(257) }, 'Search parameter "name": the value is too long.');
    expectBadRequest('Patient', { name: ['ok', 'b'.repeat(300)] }, 'Search parameter "name": the value is too long.');
    expectBadRequest(
      'Patient',
      { family: 'Ng\u0000tai' },
      'Search parameter "family": the value contains a NUL character.',
    );
  });

  it('reads a parameter sent without a value as an empty value', () => {
    expectBadRequest(
      'Patient',
      { name: undefined },
      'Search parameter "name": give at least one letter or digit to search for.',
    );
  });

  it('reads the criteria of several parameters in the order given', () => {
    expect(criteria('Appointment', { status: 'booked', patient: 'pat-a', date: 'ge2026-12-01' })).toEqual([
      { kind: 'status', anyOf: ['booked'] },
      { kind: 'reference', param: 'patient', anyOf: ['pat-a'] },
      { kind: 'instant', negate: false, range: { from: at('2026-11-30T11:00:00.000Z') } },
    ]);
  });
});
