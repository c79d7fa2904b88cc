/**
 * Turns a SearchSpec into parameterised SQL over the search projections: the filter, order and
 * page are worked out on the projections alone, and only the page's resources are then read from
 * `resource`, as one JSON array (one row to transfer and one JSON.parse, not one per resource),
 * each by its key: joined plainly, a week of one schedule's slots (under 200) was estimated cheaper
 * to hash against every Slot than to look up, and the seq scan was most of the search's time.
 * Every value is a bind parameter; table and column names come only from the literals below.
 */
import type { Criterion, ReferenceParam, SearchSpec, SearchableType, TokenValue } from './searchSpec';
import { parseReference } from '../../domain/references';
import { likePrefix, withoutApostrophes } from './searchText';
import { identifierValue } from './projections';

interface TableShape {
  /** The projection searched, and what picks this type's rows from it. */
  table: string;
  where: string;
  /** The resource id column of that projection. */
  id: string;
  orderBy: (descending: boolean) => string;
  status?: string;
  instant?: string;
  references: Partial<Record<ReferenceParam, string[]>>;
}

const RESOURCE_ONLY = (type: string): TableShape => ({
  table: 'resource r',
  where: `r.resource_type = '${type}'`,
  id: 'r.id',
  orderBy: () => 'r.id',
  references: {},
});

const SHAPES: Record<SearchableType, TableShape> = {
  Patient: {
    // Every Patient has a patient_search row (its projection always carries one).
    table: 'patient_search p',
    where: 'true',
    id: 'p.id',
    orderBy: () => 'p.id',
    references: {},
  },
  Practitioner: RESOURCE_ONLY('Practitioner'),
  Location: RESOURCE_ONLY('Location'),
  Schedule: RESOURCE_ONLY('Schedule'),
  Slot: {
    table: 'slot_search s',
    where: 'true',
    id: 's.id',
    orderBy: (descending) => (descending ? 's.start_at DESC, s.id DESC' : 's.start_at, s.id'),
    status: 's.status',
    instant: 's.start_at',
    references: { schedule: ['s.schedule_id'] },
  },
  Appointment: {
    table: 'appointment_search a',
    where: 'true',
    id: 'a.id',
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
  Provenance: {
    table: 'resource r',
    where: `r.resource_type = 'Provenance'`,
    id: 'r.id',
    // Oldest first: the order things happened in.
    orderBy: (descending) => (descending ? 'r.last_updated DESC, r.id DESC' : 'r.last_updated, r.id'),
    references: {},
  },
};

/** What the identifier in a chained search belongs to, for each reference parameter. */
const CHAIN_TARGET: Partial<Record<ReferenceParam, string>> = {
  patient: 'Patient',
  practitioner: 'Practitioner',
  location: 'Location',
};

/** Bind parameters gathered while a statement's text is built, each named where it is used. */
export class Params {
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

type IdSetCriterion = Extract<Criterion, { kind: 'id' | 'words' | 'identifier' }>;

function isIdSet(criterion: Criterion): criterion is IdSetCriterion {
  return criterion.kind === 'id' || criterion.kind === 'words' || criterion.kind === 'identifier';
}

/**
 * The ids a criterion matches, straight from its index. A search starts from the intersection of
 * these sets (small, where a name or identifier is given) rather than testing every row of the
 * projection against them, which the planner would otherwise do with a scan of every patient.
 */
function idSet(type: SearchableType, criterion: IdSetCriterion, params: Params): string {
  switch (criterion.kind) {
    case 'id':
      return `(SELECT unnest(${params.add(criterion.ids)}::text[]) AS id)`;
    case 'words':
      // A word matches a stored word's start as written, or with apostrophes left out of both ("obrien"
      // and "o'b" find "o'brien"); the second is looked for only among words with the same first letter,
      // so it still starts from the index.
      return criterion.words
        .map((word) => {
          const bare = withoutApostrophes(word);
          const asWritten = `value LIKE ${params.add(likePrefix(word))}`;
          const ignoringApostrophes =
            bare === ''
              ? ''
              : ` OR (value LIKE ${params.add(likePrefix(bare.charAt(0)))} AND replace(value, '''', '') LIKE ${params.add(likePrefix(bare))})`;
          return `(SELECT id FROM search_string WHERE resource_type = ${params.add(type)} AND param = ${params.add(criterion.param)} AND (${asWritten}${ignoringApostrophes}))`;
        })
        .join(' INTERSECT ');
    case 'identifier':
      return `(SELECT t.id FROM search_token t WHERE t.resource_type = ${params.add(type)} AND t.param = 'identifier' AND ${tokenMatch('t', criterion.anyOf, params)})`;
  }
}

function condition(type: SearchableType, criterion: Exclude<Criterion, IdSetCriterion>, params: Params): string {
  const shape = SHAPES[type];
  switch (criterion.kind) {
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
      if (criterion.range.from)
        parts.push(`${shape.instant} >= ${params.add(criterion.range.from.toISOString())}::timestamptz`);
      if (criterion.range.to)
        parts.push(`${shape.instant} < ${params.add(criterion.range.to.toISOString())}::timestamptz`);
      const inRange = `(${shape.instant} IS NOT NULL AND ${parts.join(' AND ') || 'true'})`;
      return criterion.negate ? `NOT ${inRange}` : inRange;
    }
    case 'token': {
      // A Slot search always has a time window (parseSearch adds the coming week), so its rows are
      // far fewer than all the slots with a code (one channel is most of them, past ones included):
      // OFFSET 0 keeps the EXISTS a lookup per row in the window, which the planner would otherwise
      // turn into a hash of every such slot, seconds in a large store. Other types let it choose.
      const fence = type === 'Slot' ? ' OFFSET 0' : '';
      return `EXISTS (SELECT 1 FROM search_token t WHERE t.resource_type = ${params.add(type)} AND t.id = ${SHAPES[type].id} AND t.param = ${params.add(criterion.param)} AND ${tokenMatch('t', criterion.anyOf, params)}${fence})`;
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
    return `${SHAPES[type].id} IN (SELECT schedule_id FROM schedule_actor WHERE actor_id = ANY(${placeholder}))`;
  }
  if (type === 'Slot' && param === 'schedule.actor') {
    return `s.schedule_id IN (SELECT schedule_id FROM schedule_actor WHERE actor_id = ANY(${placeholder}))`;
  }
  if (type === 'Provenance' && param === 'target') {
    return `r.id IN (SELECT id FROM search_token WHERE resource_type = 'Provenance' AND param = 'target' AND system = 'Appointment' AND value = ANY(${placeholder}))`;
  }
  if (type === 'Provenance' && param === 'patient') {
    // The Provenance of the patient's appointments.
    return `r.id IN (SELECT t.id FROM search_token t JOIN appointment_search a ON a.id = t.value
      WHERE t.resource_type = 'Provenance' AND t.param = 'target' AND t.system = 'Appointment' AND a.patient_id = ANY(${placeholder}))`;
  }
  const columns = SHAPES[type].references[param] ?? [];
  return `(${columns.map((column) => `${column} = ANY(${placeholder})`).join(' OR ')})`;
}

function referenceIdentifierCondition(
  type: SearchableType,
  param: ReferenceParam,
  anyOf: TokenValue[],
  params: Params,
): string {
  if (type === 'Slot' && param === 'schedule.actor') {
    return `s.schedule_id IN (SELECT sa.schedule_id FROM schedule_actor sa JOIN search_token t ON t.resource_type = sa.actor_type AND t.id = sa.actor_id WHERE t.param = 'identifier' AND ${tokenMatch('t', anyOf, params)})`;
  }
  const target = CHAIN_TARGET[param];
  const column = SHAPES[type].references[param]?.[0];
  return `${column} IN (SELECT t.id FROM search_token t WHERE t.resource_type = ${params.add(target)} AND t.param = 'identifier' AND ${tokenMatch('t', anyOf, params)})`;
}

export interface SearchSql {
  /** One row, `page`: the page's resources as the text of a JSON array, in order. */
  page: { text: string; values: unknown[] };
  total: { text: string; values: unknown[] };
}

export function searchSql(spec: SearchSpec): SearchSql {
  const shape = SHAPES[spec.resourceType];
  const params = new Params();
  const sets: string[] = [];
  const where = [shape.where];
  for (const criterion of spec.criteria) {
    if (isIdSet(criterion)) sets.push(idSet(spec.resourceType, criterion, params));
    else where.push(condition(spec.resourceType, criterion, params));
  }
  const matched = `(SELECT DISTINCT id FROM (${sets.join(' INTERSECT ')}) AS found)`;
  // Patients found by name or identifier alone need nothing from their projection but the id.
  const idsAlone = spec.resourceType === 'Patient' && sets.length > 0 && where.length === 1;
  const source =
    sets.length === 0
      ? shape.table
      : idsAlone
        ? `${matched} p`
        : `${matched} matched JOIN ${shape.table} ON ${shape.id} = matched.id`;
  const filtered = `FROM ${source} WHERE ${where.join(' AND ')}`;
  const filterValues = [...params.values];
  const limit = params.add(spec.count);
  const offset = params.add(spec.offset);
  const type = params.add(spec.resourceType);
  const order = shape.orderBy(spec.descending);
  return {
    page: {
      text: `SELECT coalesce(json_agg(r.content ORDER BY page.position), '[]')::text AS page
        FROM (SELECT ${shape.id} AS id, row_number() OVER (ORDER BY ${order}) AS position ${filtered} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) page
        CROSS JOIN LATERAL (SELECT content FROM resource WHERE resource_type = ${type} AND id = page.id LIMIT 1) r`,
      values: params.values,
    },
    total: { text: `SELECT count(*)::int AS total ${filtered}`, values: filterValues },
  };
}
