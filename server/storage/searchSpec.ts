/** A search, parsed and checked, in terms the storage understands. */
export type SearchableType =
  'Patient' | 'Practitioner' | 'Location' | 'Schedule' | 'Slot' | 'Appointment' | 'Provenance';

export interface InstantRange {
  /** Inclusive lower edge, or undefined for no lower edge. */
  from?: Date;
  /** Exclusive upper edge, or undefined for no upper edge. */
  to?: Date;
}

export interface TokenValue {
  system?: string;
  value: string;
}

export type Criterion =
  | { kind: 'id'; ids: string[] }
  | { kind: 'words'; param: 'name' | 'family' | 'given'; words: string[] }
  | { kind: 'identifier'; anyOf: TokenValue[] }
  | { kind: 'token'; param: TokenParam; anyOf: TokenValue[] }
  | { kind: 'status'; anyOf: string[] }
  | { kind: 'birthdate'; range: { from?: string; to?: string }; negate: boolean }
  | { kind: 'instant'; range: InstantRange; negate: boolean }
  /** Ids, or `Type/id` where the parameter points at several types and the client named one. */
  | { kind: 'reference'; param: ReferenceParam; anyOf: string[] }
  | { kind: 'referenceIdentifier'; param: ReferenceParam; anyOf: TokenValue[] }
  /** Any of these dates (a comma-separated date value): FHIR's OR. */
  | { kind: 'either'; anyOf: Array<Extract<Criterion, { kind: 'instant' | 'birthdate' }>> };

/** Token parameters kept as search_token rows (besides `identifier`), named as clients send them. */
export type TokenParam = 'channel' | 'service-type';

/** Reference search parameters, named by what they point at. */
export type ReferenceParam =
  'patient' | 'practitioner' | 'location' | 'slot' | 'schedule' | 'schedule.actor' | 'actor' | 'target';

/** What `_sort` orders by, named as clients send them. */
export type SortParam = '_id' | '_lastUpdated' | 'family' | 'given' | 'birthdate' | 'name' | 'start' | 'date';

export interface SortKey {
  param: SortParam;
  descending: boolean;
}

export type IncludeTarget = 'patient' | 'practitioner' | 'location' | 'schedule' | 'actor';

export interface SearchSpec {
  resourceType: SearchableType;
  criteria: Criterion[];
  count: number;
  offset: number;
  /** The type's usual order reversed (what a leading `-` on its first `_sort` key asks). */
  descending: boolean;
  /** `_sort`'s keys, in order; absent, the type's usual order (searchSql.ts). */
  sort?: SortKey[];
  include: IncludeTarget[];
}

export interface SearchResult<T> {
  total: number;
  matches: T[];
  included: T[];
  /**
   * Results whose matches, in turn, are these matches (a week of slots searched day by day): each
   * part stays the same object while it is kept, so what a writer makes of one can be made once.
   */
  parts?: Array<SearchResult<T>>;
}
