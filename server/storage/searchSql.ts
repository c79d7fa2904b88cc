/**
 * Turns a SearchSpec into parameterised SQL over the search projections: the filter, order and
 * page are worked out on the projections alone, and only the page's resources are then read from
 * `resource`, as one JSON array (one row to transfer and one JSON.parse, not one per resource),
 * each by its key: joined plainly, a week of one schedule's slots (under 200) was estimated cheaper
 * to hash against every Slot than to look up, and the seq scan was most of the search's time.
 * Every value is a bind parameter; table and column names come only from the literals below.
 */
import type { Criterion, ReferenceParam, SearchSpec, SearchableType, SortParam, TokenValue } from './searchSpec';
import { parseReference } from '../../domain/references';
import { likePrefix, withoutApostrophes } from './searchText';
import { identifierValue } from './projections';

interface TableShape {
  /** The projection searched, and what picks this type's rows from it. */
  table: string;
  where: string;
  /** The resource id column of that projection. */
  id: string;
  /** The usual order's keys, before the id that always breaks ties. */
  usualOrder: string[];
  /** What each `_sort` key orders by (parseSearch allows only these). */
  sortBy: Partial<Record<SortParam, string>>;
  status?: string;
  instant?: string;
  /** The columns each reference parameter tests, with the type each points at. */
  references: Partial<Record<ReferenceParam, Array<{ column: string; type: string }>>>;
}

/**
 * A name's sort key read from the resource itself: there is no projection column for it, so only
 * `_sort` pays for it (one primary-key lookup per match), never the usual order.
 */
const nameKey = (type: string, id: string, element: 'family' | 'given' | 'name') =>
  `(SELECT lower(${element === 'given' ? "content->'name'->0->'given'->>0" : element === 'family' ? "content->'name'->0->>'family'" : "content->>'name'"}) FROM resource WHERE resource_type = '${type}' AND id = ${id})`;

const RESOURCE_ONLY = (type: string, sortBy: TableShape['sortBy'] = {}): TableShape => ({
  table: 'resource r',
  where: `r.resource_type = '${type}'`,
  id: 'r.id',
  usualOrder: [],
  sortBy: { _id: 'r.id', ...sortBy },
  references: {},
});

const SHAPES: Record<SearchableType, TableShape> = {
  Patient: {
    // Every Patient has a patient_search row (its projection always carries one).
    table: 'patient_search p',
    where: 'true',
    id: 'p.id',
    usualOrder: [],
    sortBy: {
      _id: 'p.id',
      birthdate: 'p.birthdate',
      family: nameKey('Patient', 'p.id', 'family'),
      given: nameKey('Patient', 'p.id', 'given'),
    },
    references: {},
  },
  Practitioner: RESOURCE_ONLY('Practitioner', {
    family: nameKey('Practitioner', 'r.id', 'family'),
    given: nameKey('Practitioner', 'r.id', 'given'),
  }),
  Location: RESOURCE_ONLY('Location', { name: nameKey('Location', 'r.id', 'name') }),
  Schedule: RESOURCE_ONLY('Schedule'),
  Slot: {
    table: 'slot_search s',
    where: 'true',
    id: 's.id',
    usualOrder: ['s.start_at'],
    sortBy: { _id: 's.id', start: 's.start_at' },
    status: 's.status',
    instant: 's.start_at',
    references: { schedule: [{ column: 's.schedule_id', type: 'Schedule' }] },
  },
  Appointment: {
    table: 'appointment_search a',
    where: 'true',
    id: 'a.id',
    usualOrder: ['a.start_at'],
    sortBy: { _id: 'a.id', date: 'a.start_at' },
    status: 'a.status',
    instant: 'a.start_at',
    references: {
      patient: [{ column: 'a.patient_id', type: 'Patient' }],
      practitioner: [{ column: 'a.practitioner_id', type: 'Practitioner' }],
      location: [{ column: 'a.location_id', type: 'Location' }],
      slot: [{ column: 'a.slot_id', type: 'Slot' }],
      actor: [
        { column: 'a.patient_id', type: 'Patient' },
        { column: 'a.practitioner_id', type: 'Practitioner' },
        { column: 'a.location_id', type: 'Location' },
      ],
    },
  },
  Provenance: {
    table: 'resource r',
    where: `r.resource_type = 'Provenance'`,
    id: 'r.id',
    // Oldest first: the order things happened in.
    usualOrder: ['r.last_updated'],
    sortBy: { _id: 'r.id', _lastUpdated: 'r.last_updated' },
    references: {},
  },
};

/**
 * The ORDER BY of a search: the `_sort` keys, or the type's usual order (reversed when asked), and
 * the id last so every page of a search is cut from the same order.
 */
export function orderOf(spec: SearchSpec): string {
  const shape = SHAPES[spec.resourceType];
  // A resource without the element asked for goes last, whichever way (PostgreSQL puts NULL first in DESC).
  const keys = spec.sort
    ? spec.sort.map(({ param, descending }) => ({
        expression: shape.sortBy[param] as string,
        descending,
        nullsLast: param !== '_id',
      }))
    : shape.usualOrder.map((expression) => ({ expression, descending: spec.descending, nullsLast: false }));
  // Ties go the first key's way, so `-date` lists the same instant's appointments in reverse too.
  if (!keys.some((key) => key.expression === shape.id))
    keys.push({ expression: shape.id, descending: keys[0]?.descending ?? spec.descending, nullsLast: false });
  return keys
    .map(
      ({ expression, descending, nullsLast }) =>
        `${expression}${descending ? ' DESC' : ''}${descending && nullsLast ? ' NULLS LAST' : ''}`,
    )
    .join(', ');
}

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

/** A reference parameter's values: the bare ids (any type) and the ids of each type named. */
function referenceIds(anyOf: string[]): { untyped: string[]; typed: Map<string, string[]> } {
  const untyped: string[] = [];
  const typed = new Map<string, string[]>();
  for (const value of anyOf) {
    const ref = parseReference(value);
    if (!ref) untyped.push(value);
    else typed.set(ref.resourceType, [...(typed.get(ref.resourceType) ?? []), ref.id]);
  }
  return { untyped, typed };
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
      // Only ids that are stored: a set of names would count the unknown ones too.
      return `(SELECT id FROM resource WHERE resource_type = ${params.add(type)} AND id = ANY(${params.add(criterion.ids)}::text[]))`;
    case 'words':
      // A word matches a stored word's start with apostrophes left out of both: "obrien" and "o'b" find
      // "o'brien" (what starts so as written still does without them). That form is what migration 7
      // indexes, so a word is one index range, not a pass over every word with its first letter; migration 8
      // keeps each word's id beside it, so on a vacuumed store the range is read from the index alone.
      return criterion.words
        .map((word) => {
          const bare = withoutApostrophes(word);
          const match =
            bare === ''
              ? `value LIKE ${params.add(likePrefix(word))}`
              : `replace(value, '''', '') LIKE ${params.add(likePrefix(bare))}`;
          return `(SELECT id FROM search_string WHERE resource_type = ${params.add(type)} AND param = ${params.add(criterion.param)} AND ${match})`;
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
      return referenceCondition(type, criterion.param, criterion.anyOf, params);
    case 'referenceIdentifier':
      return referenceIdentifierCondition(type, criterion.param, criterion.anyOf, params);
    case 'either':
      return `(${criterion.anyOf.map((alternative) => condition(type, alternative, params)).join(' OR ')})`;
  }
}

/** A schedule's actors that are any of the references: by id alone, or by type and id. */
function scheduleActorMatch(anyOf: string[], params: Params): string {
  const { untyped, typed } = referenceIds(anyOf);
  const alternatives = [
    ...(untyped.length ? [`actor_id = ANY(${params.add(untyped)})`] : []),
    ...[...typed].map(
      ([actorType, ids]) => `(actor_type = ${params.add(actorType)} AND actor_id = ANY(${params.add(ids)}))`,
    ),
  ];
  return `(${alternatives.join(' OR ')})`;
}

function referenceCondition(type: SearchableType, param: ReferenceParam, anyOf: string[], params: Params): string {
  if (type === 'Schedule' && param === 'actor') {
    return `${SHAPES[type].id} IN (SELECT schedule_id FROM schedule_actor WHERE ${scheduleActorMatch(anyOf, params)})`;
  }
  if (type === 'Slot' && param === 'schedule.actor') {
    return `s.schedule_id IN (SELECT schedule_id FROM schedule_actor WHERE ${scheduleActorMatch(anyOf, params)})`;
  }
  const { untyped, typed } = referenceIds(anyOf);
  // The single-type parameters come bare from parseSearch; a stored reference's type is its column's.
  const ids = [...untyped, ...[...typed.values()].flat()];
  // Added only where used: PostgreSQL cannot type a parameter the statement never mentions.
  const placeholder = () => params.add(ids);
  if (type === 'Provenance' && param === 'target') {
    return `r.id IN (SELECT id FROM search_token WHERE resource_type = 'Provenance' AND param = 'target' AND system = 'Appointment' AND value = ANY(${placeholder()}))`;
  }
  if (type === 'Provenance' && param === 'patient') {
    // The Provenance of the patient's appointments.
    return `r.id IN (SELECT t.id FROM search_token t JOIN appointment_search a ON a.id = t.value
      WHERE t.resource_type = 'Provenance' AND t.param = 'target' AND t.system = 'Appointment' AND a.patient_id = ANY(${placeholder()}))`;
  }
  const columns = SHAPES[type].references[param] ?? [];
  if (columns.length === 1) return `${columns[0].column} = ANY(${placeholder()})`;
  // Several types: each column is tested with the bare ids and those given as its type.
  const untypedPlaceholder = untyped.length ? params.add(untyped) : undefined;
  return `(${
    columns
      .flatMap(({ column, type: columnType }) => {
        const ofType = typed.get(columnType);
        return [
          ...(untypedPlaceholder ? [`${column} = ANY(${untypedPlaceholder})`] : []),
          ...(ofType ? [`${column} = ANY(${params.add(ofType)})`] : []),
        ];
      })
      .join(' OR ') || 'false'
  })`;
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
  const column = SHAPES[type].references[param]?.[0]?.column;
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
  // Patients found by name or identifier alone need nothing from their projection but the id (unless sorted by it).
  const idsAlone =
    spec.resourceType === 'Patient' &&
    sets.length > 0 &&
    where.length === 1 &&
    !spec.sort?.some((key) => key.param === 'birthdate');
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
  const order = orderOf(spec);
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
