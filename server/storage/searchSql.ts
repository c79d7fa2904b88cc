/**
 * Turns a SearchSpec into one parameterised SQL query over `resource` and its search projections.
 * Every value is a bind parameter; table and column names come only from the literals below.
 */
import type { Criterion, ReferenceParam, SearchSpec, SearchableType, TokenValue } from '../search/searchSpec';
import { parseReference } from '../../src/fhir/references';
import { likePrefix } from './searchText';
import { identifierValue } from './projections';

interface TableShape {
  from: string;
  orderBy: (descending: boolean) => string;
  status?: string;
  instant?: string;
  references: Partial<Record<ReferenceParam, string[]>>;
}

const RESOURCE_ONLY = (type: string): TableShape => ({
  from: `resource r WHERE r.resource_type = '${type}'`,
  orderBy: () => 'r.id',
  references: {},
});

const SHAPES: Record<SearchableType, TableShape> = {
  Patient: {
    from: `resource r LEFT JOIN patient_search p ON p.id = r.id WHERE r.resource_type = 'Patient'`,
    orderBy: () => 'r.id',
    references: {},
  },
  Practitioner: RESOURCE_ONLY('Practitioner'),
  Location: RESOURCE_ONLY('Location'),
  Schedule: RESOURCE_ONLY('Schedule'),
  Slot: {
    from: `slot_search s JOIN resource r ON r.resource_type = 'Slot' AND r.id = s.id WHERE true`,
    orderBy: (descending) => (descending ? 's.start_at DESC, s.id DESC' : 's.start_at, s.id'),
    status: 's.status',
    instant: 's.start_at',
    references: { schedule: ['s.schedule_id'] },
  },
  Appointment: {
    from: `appointment_search a JOIN resource r ON r.resource_type = 'Appointment' AND r.id = a.id WHERE true`,
    orderBy: (descending) => (descending ? 'a.start_at DESC, a.id DESC' : 'a.start_at, a.id'),
    status: 'a.status',
    instant: 'a.start_at',
    references: {
      patient: ['a.patient_id'],
      practitioner: ['a.practitioner_id'],
      location: ['a.location_id'],
      slot: ['a.slot_id'],
      actor: ['a.patient_id', 'a.practitioner_id', 'a.location_id'],
    },
  },
};

/** What the identifier in a chained search belongs to, for each reference parameter. */
const CHAIN_TARGET: Partial<Record<ReferenceParam, string>> = { patient: 'Patient', practitioner: 'Practitioner', location: 'Location' };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function referenceIds(anyOf: string[]): string[] {
  return anyOf.map((value) => parseReference(value)?.id ?? value);
}

function tokenMatch(alias: string, anyOf: TokenValue[], params: Params): string {
  const alternatives = anyOf.map(({ system, value }) => {
    const valueMatch = `${alias}.value = ${params.add(identifierValue(system, value))}`;
    return system === undefined ? valueMatch : `(${valueMatch} AND ${alias}.system = ${params.add(system)})`;
  });
  return `(${alternatives.join(' OR ')})`;
}

function condition(type: SearchableType, criterion: Criterion, params: Params): string {
  const shape = SHAPES[type];
  switch (criterion.kind) {
    case 'id':
      return `r.id = ANY(${params.add(criterion.ids)})`;
    case 'words':
      return criterion.words
        .map((word) => `r.id IN (SELECT id FROM search_string WHERE resource_type = ${params.add(type)} AND param = ${params.add(criterion.param)} AND value LIKE ${params.add(likePrefix(word))})`)
        .join(' AND ');
    case 'identifier':
      return `r.id IN (SELECT t.id FROM search_token t WHERE t.resource_type = ${params.add(type)} AND t.param = 'identifier' AND ${tokenMatch('t', criterion.anyOf, params)})`;
    case 'status':
      return `${shape.status} = ANY(${params.add(criterion.anyOf)})`;
    case 'birthdate': {
      const parts = [];
      if (criterion.range.from) parts.push(`p.birthdate >= ${params.add(criterion.range.from)}::date`);
      if (criterion.range.to) parts.push(`p.birthdate < ${params.add(criterion.range.to)}::date`);
      const inRange = `(p.birthdate IS NOT NULL AND ${parts.join(' AND ') || 'true'})`;
      return criterion.negate ? `NOT ${inRange}` : inRange;
    }
    case 'instant': {
      const parts = [];
      if (criterion.range.from) parts.push(`${shape.instant} >= ${params.add(criterion.range.from.toISOString())}::timestamptz`);
      if (criterion.range.to) parts.push(`${shape.instant} < ${params.add(criterion.range.to.toISOString())}::timestamptz`);
      const inRange = `(${shape.instant} IS NOT NULL AND ${parts.join(' AND ') || 'true'})`;
      return criterion.negate ? `NOT ${inRange}` : inRange;
    }
    case 'reference':
      return referenceCondition(type, criterion.param, referenceIds(criterion.anyOf), params);
    case 'referenceIdentifier':
      return referenceIdentifierCondition(type, criterion.param, criterion.anyOf, params);
  }
}

function referenceCondition(type: SearchableType, param: ReferenceParam, ids: string[], params: Params): string {
  const placeholder = params.add(ids);
  if (type === 'Schedule' && param === 'actor') {
    return `r.id IN (SELECT schedule_id FROM schedule_actor WHERE actor_id = ANY(${placeholder}))`;
  }
  if (type === 'Slot' && param === 'schedule.actor') {
    return `s.schedule_id IN (SELECT schedule_id FROM schedule_actor WHERE actor_id = ANY(${placeholder}))`;
  }
  const columns = SHAPES[type].references[param] ?? [];
  return `(${columns.map((column) => `${column} = ANY(${placeholder})`).join(' OR ')})`;
}

function referenceIdentifierCondition(type: SearchableType, param: ReferenceParam, anyOf: TokenValue[], params: Params): string {
  if (type === 'Slot' && param === 'schedule.actor') {
    return `s.schedule_id IN (SELECT sa.schedule_id FROM schedule_actor sa JOIN search_token t ON t.resource_type = sa.actor_type AND t.id = sa.actor_id WHERE t.param = 'identifier' AND ${tokenMatch('t', anyOf, params)})`;
  }
  const target = CHAIN_TARGET[param];
  const column = SHAPES[type].references[param]?.[0];
  return `${column} IN (SELECT t.id FROM search_token t WHERE t.resource_type = ${params.add(target)} AND t.param = 'identifier' AND ${tokenMatch('t', anyOf, params)})`;
}

export interface SearchSql {
  page: { text: string; values: unknown[] };
  total: { text: string; values: unknown[] };
}

export function searchSql(spec: SearchSpec): SearchSql {
  const shape = SHAPES[spec.resourceType];
  const params = new Params();
  const where = spec.criteria.map((criterion) => condition(spec.resourceType, criterion, params));
  const filtered = `FROM ${shape.from}${where.map((clause) => ` AND ${clause}`).join('')}`;
  const filterValues = [...params.values];
  const limit = params.add(spec.count);
  const offset = params.add(spec.offset);
  return {
    page: {
      text: `SELECT r.content ${filtered} ORDER BY ${shape.orderBy(spec.descending)} LIMIT ${limit} OFFSET ${offset}`,
      values: params.values,
    },
    total: { text: `SELECT count(*)::int AS total ${filtered}`, values: filterValues },
  };
}
