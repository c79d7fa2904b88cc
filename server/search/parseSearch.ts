/**
 * Reads a FHIR search query string into a SearchSpec: the parameters domain.md lists, each checked.
 * A malformed value of a supported parameter is a 400; parameters we do not support are ignored
 * (FHIR's lenient handling) unless the client asks for `Prefer: handling=strict`.
 */
import { FhirError } from '../core/fhirError';
import { NHI_SYSTEM } from '../../domain/identifiers';
import { parseReference } from '../../domain/references';
import { dateBounds, instantBounds, parseDateValue } from './dateRange';
import type {
  Criterion,
  IncludeTarget,
  ReferenceParam,
  SearchSpec,
  SearchableType,
  SortKey,
  SortParam,
  TokenParam,
  TokenValue,
} from '../storage/searchSpec';
import { searchWords } from '../storage/searchText';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;
const MAX_OFFSET = 100_000;
/**
 * Terms one search may test: each word of a name, each identifier, each date range. Every term is
 * a subquery or a condition of the SQL, so this bounds the statement (and the database's time on it)
 * whatever mix of parameters a client sends; a person's search needs a handful.
 */
export const MAX_SEARCH_TERMS = 100;
const SLOT_DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface SearchContext {
  timeZone: string;
  now: Date;
  strict: boolean;
}

type ParamReader = (values: string[], context: SearchContext, name: string) => Criterion[];

function bad(name: string, message: string): FhirError {
  return FhirError.of(400, 'invalid', `Search parameter "${name}": ${message}`);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function token(value: string): TokenValue {
  const bar = value.indexOf('|');
  if (bar < 0) return { value };
  const system = value.slice(0, bar);
  return system === '' ? { value: value.slice(bar + 1) } : { system, value: value.slice(bar + 1) };
}

const words =
  (param: 'name' | 'family' | 'given'): ParamReader =>
  (values, _context, name) =>
    values.map((value) => {
      const found = searchWords(value);
      if (found.length === 0) throw bad(name, 'give at least one letter or digit to search for.');
      return { kind: 'words', param, words: found.slice(0, 10) };
    });

const identifier: ParamReader = (values, _context, name) =>
  values.map((value) => {
    const anyOf = splitList(value)
      .map(token)
      .filter((found) => found.value !== '');
    if (anyOf.length === 0) throw bad(name, 'give an identifier value, as [system|]value.');
    return { kind: 'identifier', anyOf };
  });

/**
 * `[system|]code`, comma-separated for any of them. A code nothing has matches nothing, as FHIR
 * has it: `channel` (our extension's code, domain/extensions.ts, no system) is not checked against
 * its three codes either, so a client is never refused for asking.
 */
const tokens =
  (param: TokenParam): ParamReader =>
  (values, _context, name) =>
    values.map((value) => {
      const anyOf = splitList(value)
        .map(token)
        .filter((found) => found.value !== '');
      if (anyOf.length === 0) throw bad(name, 'give a code, as [system|]code.');
      return { kind: 'token', param, anyOf };
    });

const status: ParamReader = (values, _context, name) =>
  values.map((value) => {
    const anyOf = splitList(value).map((code) => token(code).value);
    if (anyOf.length === 0 || anyOf.some((code) => !/^[a-z-]{1,40}$/.test(code)))
      throw bad(name, 'give one or more status codes, comma-separated.');
    return { kind: 'status', anyOf };
  });

const reference =
  (param: ReferenceParam, targetTypes: string[]): ParamReader =>
  (values, _context, name) =>
    values.map((value) => {
      const anyOf = splitList(value).map((part) => {
        const ref =
          parseReference(part) ??
          (/^[A-Za-z0-9\-.]{1,64}$/.test(part) ? { resourceType: undefined, id: part } : undefined);
        if (!ref || (ref.resourceType !== undefined && !targetTypes.includes(ref.resourceType))) {
          throw bad(
            name,
            `"${part.slice(0, 80)}" is not a reference to ${targetTypes.join(' or ')} (use Type/id or id).`,
          );
        }
        // Where the parameter may point at several types, the type given narrows it (actor=Location/x is no Patient).
        return ref.resourceType !== undefined && targetTypes.length > 1 ? `${ref.resourceType}/${ref.id}` : ref.id;
      });
      if (anyOf.length === 0) throw bad(name, 'give a reference, as Type/id or id.');
      return { kind: 'reference', param, anyOf };
    });

/** An NHI as people read it out, "ZAC 5361" or "ZAC-5361", is the NHI written together. */
function compactNhi(found: TokenValue): TokenValue {
  return found.system === NHI_SYSTEM ? { ...found, value: found.value.replace(/[\s-]+/g, '') } : found;
}

/** A patient identifier without a system is an NHI (domain.md), so it is matched as one, in any case and spacing. */
const nhiByDefault: ParamReader = (values, context, name) =>
  identifier(values, context, name).map((criterion) =>
    criterion.kind === 'identifier'
      ? { ...criterion, anyOf: criterion.anyOf.map((found) => compactNhi({ system: NHI_SYSTEM, ...found })) }
      : criterion,
  );

const referenceIdentifier =
  (param: ReferenceParam, reader: ParamReader = identifier): ParamReader =>
  (values, context, name) =>
    reader(values, context, name).map((criterion) => ({
      kind: 'referenceIdentifier',
      param,
      anyOf: criterion.kind === 'identifier' ? criterion.anyOf : [],
    }));

/** One criterion per repeat of the parameter (all must hold); a comma within one value is any of them (FHIR's OR). */
function eitherOf(alternatives: Criterion[], name: string): Criterion {
  if (alternatives.length === 0) throw bad(name, 'give a date, like 2026-12-01.');
  if (alternatives.length === 1) return alternatives[0];
  return { kind: 'either', anyOf: alternatives as Array<Extract<Criterion, { kind: 'instant' | 'birthdate' }>> };
}

const instant: ParamReader = (values, context, name) =>
  values.map((value) =>
    eitherOf(
      splitList(value).map((part) => {
        const parsed = parseDateValue(part, context.timeZone);
        if (!parsed)
          throw bad(name, `"${part.slice(0, 80)}" is not a date, like ge2026-12-01 or lt2026-12-01T09:30:00+13:00.`);
        return { kind: 'instant', ...instantBounds(parsed) } as Criterion;
      }),
      name,
    ),
  );

const birthdate: ParamReader = (values, context, name) =>
  values.map((value) =>
    eitherOf(
      splitList(value).map((part) => {
        const parsed = parseDateValue(part, context.timeZone);
        if (!parsed) throw bad(name, `"${part.slice(0, 80)}" is not a date, like 1980-02-29.`);
        return { kind: 'birthdate', ...dateBounds(parsed) } as Criterion;
      }),
      name,
    ),
  );

const ids: ParamReader = (values, _context, name) =>
  values.map((value) => {
    const list = splitList(value);
    if (list.length === 0 || list.some((id) => !/^[A-Za-z0-9\-.]{1,64}$/.test(id)))
      throw bad(name, 'give one or more resource ids, comma-separated.');
    return { kind: 'id', ids: list };
  });

const PARAMETERS: Record<SearchableType, Record<string, ParamReader>> = {
  Patient: {
    _id: ids,
    name: words('name'),
    family: words('family'),
    given: words('given'),
    birthdate,
    identifier: nhiByDefault,
  },
  Practitioner: { _id: ids, name: words('name'), family: words('family'), given: words('given'), identifier },
  Location: { _id: ids, name: words('name'), identifier },
  Schedule: {
    _id: ids,
    actor: reference('actor', ['Practitioner', 'Location', 'Patient']),
    'service-type': tokens('service-type'),
  },
  Slot: {
    _id: ids,
    schedule: reference('schedule', ['Schedule']),
    'schedule.actor': reference('schedule.actor', ['Practitioner', 'Location']),
    'schedule.actor.identifier': referenceIdentifier('schedule.actor'),
    start: instant,
    status,
    channel: tokens('channel'),
    'service-type': tokens('service-type'),
  },
  Appointment: {
    _id: ids,
    patient: reference('patient', ['Patient']),
    practitioner: reference('practitioner', ['Practitioner']),
    location: reference('location', ['Location']),
    actor: reference('actor', ['Patient', 'Practitioner', 'Location']),
    slot: reference('slot', ['Slot']),
    'patient.identifier': referenceIdentifier('patient', nhiByDefault),
    'practitioner.identifier': referenceIdentifier('practitioner'),
    date: instant,
    status,
    channel: tokens('channel'),
    'service-type': tokens('service-type'),
  },
  Provenance: {
    _id: ids,
    target: reference('target', ['Appointment']),
    patient: reference('patient', ['Patient']),
  },
};

/** Search parameters each type supports, for the CapabilityStatement. */
export function supportedSearchParameters(type: SearchableType): string[] {
  return Object.keys(PARAMETERS[type]);
}

const INCLUDES: Record<string, IncludeTarget[]> = {
  'Appointment:patient': ['patient'],
  'Appointment:practitioner': ['practitioner'],
  'Appointment:location': ['location'],
  'Appointment:actor': ['actor'],
  'Appointment:actor:Patient': ['patient'],
  'Appointment:actor:Practitioner': ['practitioner'],
  'Appointment:actor:Location': ['location'],
  'Appointment:*': ['actor'],
  'Slot:schedule': ['schedule'],
  'Slot:*': ['schedule'],
  'Schedule:actor': ['actor'],
  'Schedule:*': ['actor'],
};

export function supportedIncludes(type: SearchableType): string[] {
  return Object.keys(INCLUDES).filter(
    (key) => key.startsWith(`${type}:`) && !key.endsWith('*') && key.split(':').length === 2,
  );
}

function integer(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw bad(name, 'give a whole number.');
  return Math.min(Number(value), max);
}

function termsOf(criterion: Criterion): number {
  switch (criterion.kind) {
    case 'words':
      return criterion.words.length;
    case 'identifier':
    case 'referenceIdentifier':
      return criterion.anyOf.length;
    case 'either':
      return criterion.anyOf.reduce((total, alternative) => total + termsOf(alternative), 0);
    default:
      // Lists of ids, statuses and references are one array parameter each, however long.
      return 1;
  }
}

/** Query values as arrays, whether the client sent a parameter once or several times. */
export type QueryValues = Record<string, string | string[] | undefined>;

/** The keys `_sort` takes per type: each a column or expression searchSql knows how to order by. */
const SORT_KEYS: Record<SearchableType, readonly SortParam[]> = {
  Patient: ['_id', 'family', 'given', 'birthdate'],
  Practitioner: ['_id', 'family', 'given'],
  Location: ['_id', 'name'],
  Schedule: ['_id'],
  Slot: ['_id', 'start'],
  Appointment: ['_id', 'date'],
  Provenance: ['_id', '_lastUpdated'],
};

/** The `_sort` keys each type takes, for the CapabilityStatement. */
export function supportedSortKeys(type: SearchableType): readonly SortParam[] {
  return SORT_KEYS[type];
}

/** Result parameters read but not applied by the storage: they shape the Bundle (searchBundle.ts). */
export interface SearchShape {
  /** `_summary=count`: the total and no entries. */
  summary?: 'count';
  /** `_elements`: the matches with only these top-level elements (and the mandatory ones). */
  elements?: string[];
}

/** A search request as understood: what the storage runs, how the Bundle is shaped, and what was applied. */
export interface SearchRequest {
  spec: SearchSpec;
  shape: SearchShape;
  /** Each parameter the answer honours, as the client sent it, in order: the self link's query. */
  applied: Array<[string, string]>;
}

const ELEMENT_NAME = /^[a-z][A-Za-z0-9]{0,63}$/;

function sortKeys(type: SearchableType, value: string, context: SearchContext): SortKey[] | undefined {
  const keys = splitList(value).map((key) => ({
    param: key.replace(/^-/, '') as SortParam,
    descending: key.startsWith('-'),
  }));
  const unknown = keys.find((key) => !SORT_KEYS[type].includes(key.param));
  if (keys.length > 0 && !unknown) return keys;
  if (context.strict)
    throw bad('_sort', `${type} sorts by ${SORT_KEYS[type].join(', ')} (a leading - for descending).`);
  return undefined;
}

/**
 * Reads a search's query. What it cannot honour is left out of `applied` and, under `Prefer:
 * handling=strict`, refused with a 400 instead, so the self link never claims a parameter the
 * answer ignored.
 */
export function parseSearchRequest(type: SearchableType, query: QueryValues, context: SearchContext): SearchRequest {
  const criteria: Criterion[] = [];
  const include: IncludeTarget[] = [];
  const applied: Array<[string, string]> = [];
  const shape: SearchShape = {};
  let count = DEFAULT_COUNT;
  let offset = 0;
  let sort: SortKey[] | undefined;
  const unsupported = (name: string, value: string) => {
    if (context.strict) throw bad(name, `"${value.slice(0, 80)}" is not supported here.`);
  };
  for (const [rawName, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).map(String);
    const last = values[values.length - 1];
    const [name, modifier] = rawName.split(':', 2);
    if (name === '_count') count = integer(name, last, DEFAULT_COUNT, MAX_COUNT);
    else if (name === '_offset') offset = integer(name, last, 0, MAX_OFFSET);
    else if (name === '_sort') {
      sort = sortKeys(type, last, context);
      if (sort) applied.push([name, last]);
    } else if (name === '_include') {
      for (const value of values) {
        const targets = Object.hasOwn(INCLUDES, value) && value.startsWith(`${type}:`) ? INCLUDES[value] : undefined;
        if (!targets) {
          unsupported(name, value);
          continue;
        }
        include.push(...targets.filter((target) => !include.includes(target)));
        applied.push([name, value]);
      }
    } else if (name === '_summary') {
      // `false` (whole resources) is what every answer is; `count` is the total alone.
      if (last === 'count' || last === 'false') {
        if (last === 'count') shape.summary = 'count';
        applied.push([name, last]);
      } else unsupported(name, last);
    } else if (name === '_elements') {
      const elements = values.flatMap(splitList);
      if (elements.length === 0 || elements.some((element) => !ELEMENT_NAME.test(element))) {
        unsupported(name, values.join(','));
        continue;
      }
      shape.elements = [...new Set(elements)];
      applied.push([name, shape.elements.join(',')]);
    } else if (name === '_total') {
      // The total is always counted exactly.
      if (last === 'accurate') applied.push([name, last]);
      else unsupported(name, last);
    } else if (name === '_format') {
      // Anything but JSON was refused (406) before the route: what is left is honoured.
      applied.push([name, last]);
    } else if (name === '_pretty') {
      // Answers are compact JSON: `false` is what they are, `true` is not done.
      if (last === 'false') applied.push([name, last]);
      else unsupported(name, last);
    } else {
      const reader = Object.hasOwn(PARAMETERS[type], name) ? PARAMETERS[type][name] : undefined;
      if (!reader) {
        if (context.strict) throw bad(rawName, `not supported for ${type}.`);
        continue;
      }
      if (modifier !== undefined) throw bad(rawName, `the modifier ":${modifier.slice(0, 40)}" is not supported.`);
      if (values.some((value) => value.length > 256)) throw bad(name, 'the value is too long.');
      // PostgreSQL text cannot hold NUL, so such a value could only fail in the database.
      if (values.some((value) => value.includes('\u0000'))) throw bad(name, 'the value contains a NUL character.');
      criteria.push(...reader(values, context, name));
      for (const value of values) applied.push([name, value]);
    }
  }
  const terms = criteria.reduce((total, criterion) => total + termsOf(criterion), 0);
  if (terms > MAX_SEARCH_TERMS) {
    throw FhirError.of(
      400,
      'too-costly',
      `This search tests ${terms} terms (words, identifiers, dates); at most ${MAX_SEARCH_TERMS} are allowed in one search. Split it up.`,
    );
  }
  if (type === 'Slot' && !criteria.some(isInstantCriterion)) {
    criteria.push({
      kind: 'instant',
      negate: false,
      range: { from: context.now, to: new Date(context.now.getTime() + SLOT_DEFAULT_WINDOW_MS) },
    });
  }
  const descending = sort?.[0]?.descending ?? false;
  return {
    spec: { resourceType: type, criteria, count, offset, descending, include, ...(sort ? { sort } : {}) },
    shape,
    applied,
  };
}

function isInstantCriterion(criterion: Criterion): boolean {
  return criterion.kind === 'instant' || (criterion.kind === 'either' && criterion.anyOf.some(isInstantCriterion));
}

/** The storage's terms of a search, for callers that need no more than that. */
export function parseSearch(type: SearchableType, query: QueryValues, context: SearchContext): SearchSpec {
  return parseSearchRequest(type, query, context).spec;
}
