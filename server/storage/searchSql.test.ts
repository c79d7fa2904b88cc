/**
 * SearchSpecs into parameterised SQL, run for real: an in-memory PGlite with the schema and a small
 * clinic (the API tests' fixtures, two more patients and six appointments), asserting which ids
 * come back, in which order, with which total. Every value a client sends is a bind parameter,
 * never SQL text, and LIKE's wildcards in a word mean themselves.
 */
import type { Appointment, Patient, Resource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicInstant, toFhirInstant } from '../../domain/clinicTime';
import { HPI_FACILITY_SYSTEM, HPI_PERSON_SYSTEM, NHI_SYSTEM } from '../../domain/identifiers';
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import { fixtureResources, NOW, SLOT_DAY, TIME_ZONE } from '../test/fixtures';
import type { Criterion, IncludeTarget, SearchSpec, SearchableType, SortKey } from './searchSpec';
import { searchSql } from './searchSql';
import { likePrefix, withoutApostrophes } from './searchText';
import { SqlFhirStore } from './sqlFhirStore';

const NEXT_DAY = '2030-03-06';
const instant = (date: string, time: string) => clinicInstant(date, time, TIME_ZONE);

const patientC: Patient = {
  resourceType: 'Patient',
  id: 'pat-c',
  identifier: [{ system: NHI_SYSTEM, value: 'ZZZ0016' }],
  name: [{ family: 'Ngata', given: ['Hemi'] }],
};

/** Someone whose hospital number (another system, lower case) reads like pat-a's NHI. */
const patientD: Patient = {
  resourceType: 'Patient',
  id: 'pat-d',
  identifier: [{ system: 'http://example.org/mrn', value: 'zac5361' }],
  name: [{ family: 'Smith', given: ['Mere'] }],
  birthDate: '2000-02-29',
};

function appointment(
  id: string,
  options: {
    patient: string;
    practitioner: string;
    location?: string;
    slot?: string;
    date?: string;
    time: string;
    status: Appointment['status'];
  },
): Appointment {
  const start = instant(options.date ?? SLOT_DAY, options.time);
  return {
    resourceType: 'Appointment',
    id,
    status: options.status,
    start: toFhirInstant(start, TIME_ZONE),
    end: toFhirInstant(new Date(start.getTime() + 15 * 60_000), TIME_ZONE),
    ...(options.slot ? { slot: [{ reference: `Slot/${options.slot}` }] } : {}),
    participant: [
      { actor: { reference: `Patient/${options.patient}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${options.practitioner}` }, status: 'accepted' },
      ...(options.location
        ? [{ actor: { reference: `Location/${options.location}` }, status: 'accepted' as const }]
        : []),
    ],
  };
}

/** Ids run against start order (appt-e is first), so an order by id would show; d and f share a start. */
const appointments: Appointment[] = [
  appointment('appt-e', {
    patient: 'pat-a',
    practitioner: 'prac-1',
    location: 'loc-1',
    slot: 'slot-prac-1-0900',
    time: '09:00',
    status: 'booked',
  }),
  appointment('appt-d', {
    patient: 'pat-a',
    practitioner: 'prac-1',
    location: 'loc-1',
    slot: 'slot-prac-1-0930',
    time: '09:30',
    status: 'cancelled',
  }),
  appointment('appt-f', { patient: 'pat-b', practitioner: 'prac-1', time: '09:30', status: 'cancelled' }),
  appointment('appt-c', {
    patient: 'pat-b',
    practitioner: 'prac-2',
    location: 'loc-2',
    slot: 'slot-prac-2-1000',
    time: '10:00',
    status: 'booked',
  }),
  appointment('appt-b', { patient: 'pat-b', practitioner: 'prac-2', time: '11:00', status: 'booked' }),
  appointment('appt-a', {
    patient: 'pat-a',
    practitioner: 'prac-2',
    location: 'loc-2',
    date: NEXT_DAY,
    time: '09:00',
    status: 'booked',
  }),
];

const BUSY_SLOTS = new Set(['slot-prac-1-0900', 'slot-prac-2-1000']);

function clinic(): Resource[] {
  const fixtures = fixtureResources().map((resource) =>
    resource.resourceType === 'Slot' && BUSY_SLOTS.has(resource.id ?? '')
      ? { ...resource, status: 'busy' as const }
      : resource,
  );
  // Stored in the reverse of the order searches must return, so no order can come from insertion.
  return [...fixtures, patientC, patientD, ...appointments].reverse();
}

let sql: SqlClient;
let store: SqlFhirStore;

beforeAll(async () => {
  sql = await openPglite(undefined);
  store = await SqlFhirStore.open(sql);
  await store.bulkLoad(clinic(), NOW);
});

afterAll(async () => {
  await store.close();
});

function spec(
  resourceType: SearchableType,
  criteria: Criterion[],
  page: { count?: number; offset?: number; descending?: boolean; include?: IncludeTarget[]; sort?: SortKey[] } = {},
): SearchSpec {
  return {
    resourceType,
    criteria,
    count: page.count ?? 50,
    offset: page.offset ?? 0,
    descending: page.descending ?? false,
    include: page.include ?? [],
    ...(page.sort ? { sort: page.sort } : {}),
  };
}

/** The ids a search finds, in order, and its total. */
async function found(search: SearchSpec): Promise<{ ids: string[]; total: number }> {
  const result = await store.search(search);
  return { ids: result.matches.map((resource) => resource.id ?? ''), total: result.total };
}

async function idsOf(search: SearchSpec): Promise<string[]> {
  return (await found(search)).ids;
}

const range = (from?: Date, to?: Date): Criterion => ({
  kind: 'instant',
  negate: false,
  range: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
});

describe('bind parameters', () => {
  const HOSTILE = [
    "'; DROP TABLE resource; --",
    "') OR 1=1; --",
    '" OR ""="',
    '50%_',
    "\\'; DELETE FROM search_token; --",
    "Robert'); TRUNCATE appointment_search;--",
  ];

  /** One spec per criterion kind and reference parameter, each carrying every hostile value. */
  function hostileSpecs(): SearchSpec[] {
    const tokens = HOSTILE.flatMap((value) => [{ value }, { system: value, value }, { system: NHI_SYSTEM, value }]);
    return [
      spec('Patient', [{ kind: 'id', ids: HOSTILE }]),
      spec('Patient', [{ kind: 'words', param: 'name', words: HOSTILE }]),
      spec('Practitioner', [{ kind: 'words', param: 'family', words: HOSTILE }]),
      spec('Location', [{ kind: 'identifier', anyOf: tokens }]),
      spec('Patient', [
        { kind: 'identifier', anyOf: tokens },
        { kind: 'birthdate', range: { from: '1900-01-01', to: '2100-01-01' }, negate: false },
      ]),
      spec('Schedule', [{ kind: 'reference', param: 'actor', anyOf: HOSTILE }]),
      spec('Slot', [
        { kind: 'status', anyOf: HOSTILE },
        { kind: 'reference', param: 'schedule', anyOf: HOSTILE },
        range(new Date('2030-01-01T00:00:00Z')),
      ]),
      spec('Slot', [{ kind: 'reference', param: 'schedule.actor', anyOf: HOSTILE }]),
      spec('Slot', [{ kind: 'referenceIdentifier', param: 'schedule.actor', anyOf: tokens }]),
      ...(['patient', 'practitioner', 'location', 'slot', 'actor'] as const).map((param) =>
        spec('Appointment', [{ kind: 'reference', param, anyOf: HOSTILE }]),
      ),
      spec('Appointment', [
        { kind: 'referenceIdentifier', param: 'patient', anyOf: tokens },
        { kind: 'status', anyOf: HOSTILE },
      ]),
      spec('Appointment', [{ kind: 'referenceIdentifier', param: 'practitioner', anyOf: tokens }]),
    ];
  }

  it('keeps every value out of the SQL text', () => {
    for (const search of hostileSpecs()) {
      const { page, total } = searchSql(search);
      for (const text of [page.text, total.text]) {
        for (const value of HOSTILE) {
          expect(text.toLowerCase(), `${search.resourceType} ${JSON.stringify(search.criteria)}`).not.toContain(
            value.toLowerCase(),
          );
        }
        expect(text).not.toMatch(/drop|delete|truncate|1=1/i);
      }
    }
  });

  it('passes each value as a parameter, words as escaped prefixes without apostrophes and NHIs upper-cased', () => {
    const flat = (search: SearchSpec) => searchSql(search).page.values.flat();
    expect(flat(spec('Patient', [{ kind: 'id', ids: HOSTILE }]))).toEqual(expect.arrayContaining(HOSTILE));
    expect(flat(spec('Patient', [{ kind: 'words', param: 'name', words: HOSTILE }]))).toEqual(
      expect.arrayContaining(HOSTILE.map((word) => likePrefix(withoutApostrophes(word)))),
    );
    expect(flat(spec('Appointment', [{ kind: 'status', anyOf: HOSTILE }]))).toEqual(expect.arrayContaining(HOSTILE));
    expect(flat(spec('Appointment', [{ kind: 'reference', param: 'actor', anyOf: HOSTILE }]))).toEqual(
      expect.arrayContaining(HOSTILE),
    );
    const identifierValues = flat(
      spec('Patient', [
        {
          kind: 'identifier',
          anyOf: [
            { system: NHI_SYSTEM, value: HOSTILE[0] },
            { system: HOSTILE[1], value: HOSTILE[2] },
          ],
        },
      ]),
    );
    expect(identifierValues).toEqual(
      expect.arrayContaining([HOSTILE[0].toUpperCase(), NHI_SYSTEM, HOSTILE[1], HOSTILE[2]]),
    );
  });

  it("numbers the placeholders to match the values, the total's being the filter's alone", () => {
    for (const search of hostileSpecs()) {
      const { page, total } = searchSql(search);
      const highest = (text: string) => Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
      expect(highest(page.text)).toBe(page.values.length);
      expect(highest(total.text)).toBe(total.values.length);
      expect(page.values.slice(0, total.values.length)).toEqual(total.values);
    }
  });

  it('pages with LIMIT and OFFSET parameters, the type last', () => {
    const { page, total } = searchSql(
      spec('Appointment', [{ kind: 'status', anyOf: ['booked'] }], { count: 7, offset: 3 }),
    );
    expect(page.values).toEqual([['booked'], 7, 3, 'Appointment']);
    expect(page.text).toMatch(/LIMIT \$2 OFFSET \$3/);
    expect(total.values).toEqual([['booked']]);
    expect(total.text).not.toMatch(/LIMIT|OFFSET/);
  });

  it('finds nothing for hostile values, and the database is unharmed', async () => {
    for (const search of hostileSpecs()) {
      expect(await found(search), `${search.resourceType} ${JSON.stringify(search.criteria).slice(0, 120)}`).toEqual({
        ids: [],
        total: 0,
      });
    }
    expect(await store.count('Patient')).toBe(4);
    expect(await store.count('Appointment')).toBe(6);
    expect(await store.count('Slot')).toBe(24);
    expect(
      await idsOf(
        spec('Appointment', [
          { kind: 'referenceIdentifier', param: 'patient', anyOf: [{ system: NHI_SYSTEM, value: 'ZAC5361' }] },
        ]),
      ),
    ).toEqual(['appt-e', 'appt-d', 'appt-a']);
  });
});

describe('words and LIKE wildcards', () => {
  beforeAll(async () => {
    // Names in stored projections never keep % or _ (they split words), so these rows are written directly.
    await sql.query(
      `INSERT INTO search_string (resource_type, id, param, value) VALUES
         ('Patient', 'pat-a', 'name', '50%_off'), ('Patient', 'pat-b', 'name', '50xyoff'), ('Patient', 'pat-c', 'name', 'back\\slash')`,
    );
  });

  it('matches words by prefix', async () => {
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['50'] }]))).toEqual(['pat-a', 'pat-b']);
  });

  it('takes % and _ in a word literally', async () => {
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['50%_'] }]))).toEqual(['pat-a']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['50%'] }]))).toEqual(['pat-a']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['50_'] }]))).toEqual([]);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['5_xy'] }]))).toEqual([]);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['%'] }]))).toEqual([]);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['_'] }]))).toEqual([]);
  });

  it('takes a backslash in a word literally', async () => {
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['back\\'] }]))).toEqual(['pat-c']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['back\\%'] }]))).toEqual([]);
  });
});

describe('Patient', () => {
  it('finds by _id, in id order', async () => {
    expect(await found(spec('Patient', [{ kind: 'id', ids: ['pat-c', 'pat-a'] }]))).toEqual({
      ids: ['pat-a', 'pat-c'],
      total: 2,
    });
  });

  it('finds by the start of family, given and any name word, every word required', async () => {
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'family', words: ['ngat'] }]))).toEqual([
      'pat-a',
      'pat-c',
    ]);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'family', words: ['ngatai'] }]))).toEqual(['pat-a']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'given', words: ['ngat'] }]))).toEqual([]);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['tav', "fa'a"] }]))).toEqual(['pat-b']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['aroha', 'sione'] }]))).toEqual([]);
  });

  it('finds a name with an apostrophe with or without it ("faa", "fa\'a", "fa") and nothing else by it', async () => {
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['faa'] }]))).toEqual(['pat-b']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ["fa'a"] }]))).toEqual(['pat-b']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ["f'aa"] }]))).toEqual(['pat-b']);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ['fab'] }]))).toEqual([]);
    expect(await idsOf(spec('Patient', [{ kind: 'words', param: 'name', words: ["'"] }]))).toEqual([]);
  });

  it('finds by identifier: NHIs in any case, other systems exactly, a value without system in any system', async () => {
    expect(
      await idsOf(spec('Patient', [{ kind: 'identifier', anyOf: [{ system: NHI_SYSTEM, value: 'zac5361' }] }])),
    ).toEqual(['pat-a']);
    expect(
      await idsOf(
        spec('Patient', [{ kind: 'identifier', anyOf: [{ system: 'http://example.org/mrn', value: 'zac5361' }] }]),
      ),
    ).toEqual(['pat-d']);
    expect(
      await idsOf(
        spec('Patient', [{ kind: 'identifier', anyOf: [{ system: 'http://example.org/mrn', value: 'ZAC5361' }] }]),
      ),
    ).toEqual([]);
    expect(await idsOf(spec('Patient', [{ kind: 'identifier', anyOf: [{ value: 'ZAC5361' }] }]))).toEqual(['pat-a']);
    expect(await idsOf(spec('Patient', [{ kind: 'identifier', anyOf: [{ value: 'zac5361' }] }]))).toEqual(['pat-d']);
    expect(
      await idsOf(
        spec('Patient', [
          {
            kind: 'identifier',
            anyOf: [
              { system: NHI_SYSTEM, value: 'ZBN77VL' },
              { system: NHI_SYSTEM, value: 'ZZZ0016' },
            ],
          },
        ]),
      ),
    ).toEqual(['pat-b', 'pat-c']);
  });

  it('finds by birth date range, start inclusive and end exclusive', async () => {
    expect(await idsOf(spec('Patient', [{ kind: 'birthdate', range: { from: '1990-01-02' }, negate: false }]))).toEqual(
      ['pat-b', 'pat-d'],
    );
    expect(await idsOf(spec('Patient', [{ kind: 'birthdate', range: { to: '1990-01-02' }, negate: false }]))).toEqual([
      'pat-a',
    ]);
    expect(
      await idsOf(
        spec('Patient', [{ kind: 'birthdate', range: { from: '1984-07-19', to: '1984-07-20' }, negate: false }]),
      ),
    ).toEqual(['pat-a']);
    const notThatDay = await idsOf(
      spec('Patient', [{ kind: 'birthdate', range: { from: '1984-07-19', to: '1984-07-20' }, negate: true }]),
    );
    expect(notThatDay).toEqual(expect.arrayContaining(['pat-b', 'pat-d']));
    expect(notThatDay).not.toContain('pat-a');
  });

  it('applies every criterion together', async () => {
    expect(
      await idsOf(
        spec('Patient', [
          { kind: 'words', param: 'family', words: ['ngat'] },
          { kind: 'identifier', anyOf: [{ system: NHI_SYSTEM, value: 'ZZZ0016' }] },
        ]),
      ),
    ).toEqual(['pat-c']);
    expect(
      await idsOf(
        spec('Patient', [
          { kind: 'words', param: 'family', words: ['ngat'] },
          { kind: 'birthdate', range: { from: '1900-01-01' }, negate: false },
        ]),
      ),
    ).toEqual(['pat-a']);
    expect(
      await idsOf(
        spec('Patient', [
          { kind: 'id', ids: ['pat-a', 'pat-b'] },
          { kind: 'words', param: 'name', words: ['sione'] },
        ]),
      ),
    ).toEqual(['pat-b']);
  });

  it('lists every patient in id order without criteria', async () => {
    expect(await found(spec('Patient', []))).toEqual({ ids: ['pat-a', 'pat-b', 'pat-c', 'pat-d'], total: 4 });
  });
});

describe('Practitioner, Location and Schedule', () => {
  it('finds practitioners by name words and by HPI identifier', async () => {
    expect(await idsOf(spec('Practitioner', [{ kind: 'words', param: 'family', words: ['chen'] }]))).toEqual([
      'prac-2',
    ]);
    expect(await idsOf(spec('Practitioner', [{ kind: 'words', param: 'name', words: ['dr'] }]))).toEqual([
      'prac-1',
      'prac-2',
    ]);
    expect(await idsOf(spec('Practitioner', [{ kind: 'words', param: 'family', words: ['tuhoe', 'smith'] }]))).toEqual([
      'prac-1',
    ]);
    expect(
      await idsOf(
        spec('Practitioner', [{ kind: 'identifier', anyOf: [{ system: HPI_PERSON_SYSTEM, value: '99ZZZZ' }] }]),
      ),
    ).toEqual(['prac-1']);
    expect(
      await idsOf(
        spec('Practitioner', [{ kind: 'identifier', anyOf: [{ system: HPI_PERSON_SYSTEM, value: '99zzzz' }] }]),
      ),
    ).toEqual([]);
  });

  it('finds locations by name words and by facility identifier, never a patient with the same name', async () => {
    expect(await idsOf(spec('Location', [{ kind: 'words', param: 'name', words: ['karori'] }]))).toEqual(['loc-2']);
    expect(
      await idsOf(
        spec('Location', [{ kind: 'identifier', anyOf: [{ system: HPI_FACILITY_SYSTEM, value: 'FZZ999-B' }] }]),
      ),
    ).toEqual(['loc-1']);
    expect(await idsOf(spec('Location', [{ kind: 'words', param: 'name', words: ['ngatai'] }]))).toEqual([]);
  });

  it('finds schedules by actor', async () => {
    expect(await idsOf(spec('Schedule', [{ kind: 'reference', param: 'actor', anyOf: ['loc-1'] }]))).toEqual([
      'sched-prac-1',
    ]);
    expect(await idsOf(spec('Schedule', [{ kind: 'reference', param: 'actor', anyOf: ['prac-2', 'prac-1'] }]))).toEqual(
      ['sched-prac-1', 'sched-prac-2'],
    );
    expect(await found(spec('Schedule', []))).toEqual({ ids: ['sched-prac-1', 'sched-prac-2'], total: 2 });
  });
});

describe('Slot', () => {
  const slotTimes = (ids: string[]) => ids.map((id) => id.replace(/^slot-/, ''));

  it("finds a schedule's slots in a window, from inclusive to exclusive, in start order", async () => {
    const search = spec('Slot', [
      { kind: 'reference', param: 'schedule', anyOf: ['sched-prac-1'] },
      range(instant(SLOT_DAY, '09:15'), instant(SLOT_DAY, '10:15')),
    ]);
    expect(slotTimes(await idsOf(search))).toEqual(['prac-1-0915', 'prac-1-0930', 'prac-1-0945', 'prac-1-1000']);
  });

  it('orders by start, then id, and reverses both when descending', async () => {
    const window = range(instant(SLOT_DAY, '09:00'), instant(SLOT_DAY, '09:30'));
    expect(slotTimes(await idsOf(spec('Slot', [window])))).toEqual([
      'prac-1-0900',
      'prac-2-0900',
      'prac-1-0915',
      'prac-2-0915',
    ]);
    expect(slotTimes(await idsOf(spec('Slot', [window], { descending: true })))).toEqual([
      'prac-2-0915',
      'prac-1-0915',
      'prac-2-0900',
      'prac-1-0900',
    ]);
  });

  it('finds by status', async () => {
    expect(await idsOf(spec('Slot', [{ kind: 'status', anyOf: ['busy'] }]))).toEqual([
      'slot-prac-1-0900',
      'slot-prac-2-1000',
    ]);
    expect((await found(spec('Slot', [{ kind: 'status', anyOf: ['free', 'busy-tentative'] }]))).total).toBe(22);
  });

  it("finds by the schedule's actor, by reference or by identifier", async () => {
    const late = range(instant(SLOT_DAY, '11:30'));
    expect(
      slotTimes(await idsOf(spec('Slot', [{ kind: 'reference', param: 'schedule.actor', anyOf: ['prac-2'] }, late]))),
    ).toEqual(['prac-2-1130', 'prac-2-1145']);
    expect(
      slotTimes(await idsOf(spec('Slot', [{ kind: 'reference', param: 'schedule.actor', anyOf: ['loc-1'] }, late]))),
    ).toEqual(['prac-1-1130', 'prac-1-1145']);
    const byHpi = spec('Slot', [
      { kind: 'referenceIdentifier', param: 'schedule.actor', anyOf: [{ system: HPI_PERSON_SYSTEM, value: '99ZZZY' }] },
      late,
    ]);
    expect(slotTimes(await idsOf(byHpi))).toEqual(['prac-2-1130', 'prac-2-1145']);
    const byFacility = spec('Slot', [
      { kind: 'referenceIdentifier', param: 'schedule.actor', anyOf: [{ value: 'FZZ999-B' }] },
      late,
    ]);
    expect(slotTimes(await idsOf(byFacility))).toEqual(['prac-1-1130', 'prac-1-1145']);
  });

  it('excludes a window when negated', async () => {
    const search = spec('Slot', [
      { kind: 'reference', param: 'schedule', anyOf: ['sched-prac-1'] },
      { kind: 'instant', negate: true, range: { from: instant(SLOT_DAY, '09:15'), to: instant(SLOT_DAY, '11:45') } },
    ]);
    expect(slotTimes(await idsOf(search))).toEqual(['prac-1-0900', 'prac-1-1145']);
  });

  it("pages through a schedule's twelve slots with the total each time", async () => {
    const mine: Criterion = { kind: 'reference', param: 'schedule', anyOf: ['sched-prac-1'] };
    expect(await found(spec('Slot', [mine], { count: 5 }))).toEqual({
      ids: ['0900', '0915', '0930', '0945', '1000'].map((t) => `slot-prac-1-${t}`),
      total: 12,
    });
    expect(await found(spec('Slot', [mine], { count: 5, offset: 10 }))).toEqual({
      ids: ['slot-prac-1-1130', 'slot-prac-1-1145'],
      total: 12,
    });
    expect(await found(spec('Slot', [mine], { count: 5, offset: 12 }))).toEqual({ ids: [], total: 12 });
    expect(await found(spec('Slot', [mine], { count: 0 }))).toEqual({ ids: [], total: 12 });
    expect(await found(spec('Slot', [mine], { count: 2, offset: 1, descending: true }))).toEqual({
      ids: ['slot-prac-1-1130', 'slot-prac-1-1115'],
      total: 12,
    });
  });
});

describe('Appointment', () => {
  const nhi = (value: string): Criterion => ({
    kind: 'referenceIdentifier',
    param: 'patient',
    anyOf: [{ system: NHI_SYSTEM, value }],
  });

  it('finds by each reference parameter, in start order', async () => {
    expect(await idsOf(spec('Appointment', [{ kind: 'reference', param: 'patient', anyOf: ['pat-a'] }]))).toEqual([
      'appt-e',
      'appt-d',
      'appt-a',
    ]);
    expect(await idsOf(spec('Appointment', [{ kind: 'reference', param: 'practitioner', anyOf: ['prac-2'] }]))).toEqual(
      ['appt-c', 'appt-b', 'appt-a'],
    );
    expect(await idsOf(spec('Appointment', [{ kind: 'reference', param: 'location', anyOf: ['loc-2'] }]))).toEqual([
      'appt-c',
      'appt-a',
    ]);
    expect(
      await idsOf(spec('Appointment', [{ kind: 'reference', param: 'slot', anyOf: ['slot-prac-2-1000'] }])),
    ).toEqual(['appt-c']);
    expect(await idsOf(spec('Appointment', [{ kind: 'reference', param: 'patient', anyOf: ['pat-c'] }]))).toEqual([]);
  });

  it('finds by actor in any role', async () => {
    expect(await idsOf(spec('Appointment', [{ kind: 'reference', param: 'actor', anyOf: ['pat-b'] }]))).toEqual([
      'appt-f',
      'appt-c',
      'appt-b',
    ]);
    expect(
      await idsOf(spec('Appointment', [{ kind: 'reference', param: 'actor', anyOf: ['loc-1', 'prac-2'] }])),
    ).toEqual(['appt-e', 'appt-d', 'appt-c', 'appt-b', 'appt-a']);
  });

  it('orders appointments with the same start by id, reversed when descending', async () => {
    const prac1: Criterion = { kind: 'reference', param: 'practitioner', anyOf: ['prac-1'] };
    expect(await idsOf(spec('Appointment', [prac1]))).toEqual(['appt-e', 'appt-d', 'appt-f']);
    expect(await idsOf(spec('Appointment', [prac1], { descending: true }))).toEqual(['appt-f', 'appt-d', 'appt-e']);
  });

  it("finds by the patient's NHI in any case, and the practitioner's HPI number", async () => {
    expect(await idsOf(spec('Appointment', [nhi('zac5361')]))).toEqual(['appt-e', 'appt-d', 'appt-a']);
    expect(
      await idsOf(
        spec('Appointment', [
          {
            kind: 'referenceIdentifier',
            param: 'patient',
            anyOf: [{ system: 'http://example.org/mrn', value: 'ZAC5361' }],
          },
        ]),
      ),
    ).toEqual([]);
    expect(
      await idsOf(
        spec('Appointment', [
          {
            kind: 'referenceIdentifier',
            param: 'practitioner',
            anyOf: [{ system: HPI_PERSON_SYSTEM, value: '99ZZZY' }],
          },
        ]),
      ),
    ).toEqual(['appt-c', 'appt-b', 'appt-a']);
  });

  it('finds by status', async () => {
    expect(await idsOf(spec('Appointment', [{ kind: 'status', anyOf: ['booked'] }]))).toEqual([
      'appt-e',
      'appt-c',
      'appt-b',
      'appt-a',
    ]);
    expect(await idsOf(spec('Appointment', [{ kind: 'status', anyOf: ['cancelled', 'noshow'] }]))).toEqual([
      'appt-d',
      'appt-f',
    ]);
  });

  it('finds by start in a window, from inclusive to exclusive', async () => {
    expect(await idsOf(spec('Appointment', [range(instant(SLOT_DAY, '10:00'), instant(NEXT_DAY, '00:00'))]))).toEqual([
      'appt-c',
      'appt-b',
    ]);
    expect(await idsOf(spec('Appointment', [range(instant(SLOT_DAY, '09:30'), instant(SLOT_DAY, '10:00'))]))).toEqual([
      'appt-d',
      'appt-f',
    ]);
    expect(await idsOf(spec('Appointment', [range(instant(NEXT_DAY, '00:00'))]))).toEqual(['appt-a']);
  });

  it('applies every criterion together', async () => {
    const criteria: Criterion[] = [
      nhi('ZAC5361'),
      { kind: 'status', anyOf: ['booked'] },
      range(instant(SLOT_DAY, '00:00'), instant(NEXT_DAY, '00:00')),
    ];
    expect(await idsOf(spec('Appointment', criteria))).toEqual(['appt-e']);
  });

  it('pages in start order with the total of all matches', async () => {
    expect(await found(spec('Appointment', [], { count: 2 }))).toEqual({ ids: ['appt-e', 'appt-d'], total: 6 });
    expect(await found(spec('Appointment', [], { count: 2, offset: 2 }))).toEqual({
      ids: ['appt-f', 'appt-c'],
      total: 6,
    });
    expect(await found(spec('Appointment', [], { count: 2, offset: 4 }))).toEqual({
      ids: ['appt-b', 'appt-a'],
      total: 6,
    });
    expect(await found(spec('Appointment', [], { count: 2, offset: 6 }))).toEqual({ ids: [], total: 6 });
    expect(await found(spec('Appointment', [], { count: 0 }))).toEqual({ ids: [], total: 6 });
  });

  it('returns whole stored resources, and the ones _include names beside them', async () => {
    const result = await store.search(
      spec(
        'Appointment',
        [
          { kind: 'reference', param: 'patient', anyOf: ['pat-b'] },
          { kind: 'status', anyOf: ['booked'] },
        ],
        { include: ['patient', 'location'] },
      ),
    );
    expect(result.matches.map((resource) => resource.id)).toEqual(['appt-c', 'appt-b']);
    expect(result.matches[0]).toMatchObject({
      ...appointments[3],
      meta: { versionId: '1', lastUpdated: NOW.toISOString() },
    });
    expect(result.included.map((resource) => `${resource.resourceType}/${resource.id}`)).toEqual([
      'Patient/pat-b',
      'Location/loc-2',
    ]);
  });
});

describe('_sort', () => {
  const by = (...keys: string[]): SortKey[] =>
    keys.map((key) => ({ param: key.replace(/^-/, '') as SortKey['param'], descending: key.startsWith('-') }));

  it('orders patients by family, given and birth date, a missing birth date last either way', async () => {
    expect(await idsOf(spec('Patient', [], { sort: by('family') }))).toEqual(['pat-b', 'pat-c', 'pat-a', 'pat-d']);
    expect(await idsOf(spec('Patient', [], { sort: by('given') }))).toEqual(['pat-a', 'pat-c', 'pat-d', 'pat-b']);
    expect(await idsOf(spec('Patient', [], { sort: by('birthdate') }))).toEqual(['pat-a', 'pat-b', 'pat-d', 'pat-c']);
    expect(await idsOf(spec('Patient', [], { sort: by('-birthdate') }))).toEqual(['pat-d', 'pat-b', 'pat-a', 'pat-c']);
    expect(await idsOf(spec('Patient', [], { sort: by('-_id') }))).toEqual(['pat-d', 'pat-c', 'pat-b', 'pat-a']);
  });

  it('sorts patients found by name by birth date too', async () => {
    const named: Criterion = { kind: 'words', param: 'name', words: ['ngat'] };
    expect(await idsOf(spec('Patient', [named], { sort: by('-birthdate') }))).toEqual(['pat-a', 'pat-c']);
  });

  it('orders by the keys in turn, ties by id, and pages the same order', async () => {
    const prac1: Criterion = { kind: 'reference', param: 'practitioner', anyOf: ['prac-1'] };
    expect(await idsOf(spec('Appointment', [prac1], { sort: by('-date', '_id') }))).toEqual([
      'appt-d',
      'appt-f',
      'appt-e',
    ]);
    expect(await idsOf(spec('Appointment', [prac1], { sort: by('-date') }))).toEqual(['appt-f', 'appt-d', 'appt-e']);
    expect(await found(spec('Patient', [], { sort: by('family'), count: 2, offset: 2 }))).toEqual({
      ids: ['pat-a', 'pat-d'],
      total: 4,
    });
  });

  it('orders practitioners by family and locations by name', async () => {
    const practitioners = await store.search(spec('Practitioner', [], { sort: by('-family') }));
    const families = practitioners.matches.map(
      (resource) => (resource as { name?: Array<{ family?: string }> }).name?.[0]?.family ?? '',
    );
    expect(families).toEqual([...families].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
    const locations = await store.search(spec('Location', [], { sort: by('name') }));
    const names = locations.matches.map((resource) => (resource as { name?: string }).name ?? '');
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names.length).toBeGreaterThan(1);
  });
});

describe('what the last session got wrong', () => {
  it('counts and pages only the ids that are stored', async () => {
    const search = spec('Patient', [{ kind: 'id', ids: ['aaa', 'pat-a'] }], { count: 1 });
    expect(await found(search)).toEqual({ ids: ['pat-a'], total: 1 });
  });

  it('reads a comma in a date as any of the days', async () => {
    const day = (date: string): Extract<Criterion, { kind: 'instant' }> => ({
      kind: 'instant',
      negate: false,
      range: { from: instant(date, '00:00'), to: instant(date, '23:59') },
    });
    expect(await idsOf(spec('Appointment', [{ kind: 'either', anyOf: [day(SLOT_DAY), day(NEXT_DAY)] }]))).toHaveLength(
      6,
    );
    expect(await idsOf(spec('Appointment', [{ kind: 'either', anyOf: [day(NEXT_DAY)] }]))).toEqual(['appt-a']);
  });

  it('tests a typed reference against the columns of that type only', async () => {
    const actor = (...anyOf: string[]) => spec('Appointment', [{ kind: 'reference', param: 'actor', anyOf }]);
    expect(await idsOf(actor('Location/prac-2'))).toEqual([]);
    expect(await idsOf(actor('Practitioner/prac-2'))).toEqual(['appt-c', 'appt-b', 'appt-a']);
    expect(await idsOf(actor('Patient/pat-b', 'loc-2'))).toEqual(['appt-f', 'appt-c', 'appt-b', 'appt-a']);
    const late = range(instant(SLOT_DAY, '11:30'));
    const slots = (anyOf: string[]) =>
      idsOf(spec('Slot', [{ kind: 'reference', param: 'schedule.actor', anyOf }, late]));
    expect(await slots(['Practitioner/loc-1'])).toEqual([]);
    expect(await slots(['Location/loc-1'])).toHaveLength(2);
    expect(await idsOf(spec('Schedule', [{ kind: 'reference', param: 'actor', anyOf: ['Patient/prac-1'] }]))).toEqual(
      [],
    );
    expect(
      await idsOf(spec('Schedule', [{ kind: 'reference', param: 'actor', anyOf: ['Practitioner/prac-1'] }])),
    ).toEqual(['sched-prac-1']);
  });
});
