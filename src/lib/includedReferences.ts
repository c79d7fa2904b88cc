/**
 * `_include` on a server that ignores it. A search that asks for `_include` is answered with the
 * resources its matches point to whether the server includes them or not: where the server's
 * CapabilityStatement does not declare the include (`searchInclude`), what is missing from the answer
 * is read with one `_id` search per resource type and added as `search.mode = include` entries.
 */
import type { Appointment, Bundle, BundleEntry, FhirResource, Schedule, Slot } from 'fhir/r4';
import { parseReference } from '../../domain/references';

/** The references each include the app asks for follows in a match (its search parameter's path). */
const INCLUDE_PATHS: Record<string, (resource: FhirResource) => Array<string | undefined>> = {
  'Slot:schedule': (resource) => [(resource as Slot).schedule?.reference],
  'Schedule:actor': (resource) => ((resource as Schedule).actor ?? []).map((actor) => actor.reference),
  'Appointment:patient': (resource) => appointmentActors(resource, 'Patient'),
  'Appointment:practitioner': (resource) => appointmentActors(resource, 'Practitioner'),
  'Appointment:location': (resource) => appointmentActors(resource, 'Location'),
  'Appointment:actor': (resource) => appointmentActors(resource),
};

function appointmentActors(resource: FhirResource, type?: string): Array<string | undefined> {
  return ((resource as Appointment).participant ?? [])
    .map((participant) => participant.actor?.reference)
    .filter((reference) => !type || parseReference(reference)?.resourceType === type);
}

/** The `_include` values of a search, from its parameters or its (next-page) URL. */
export function includesOf(params: Iterable<[string, string]>): string[] {
  return [...params].filter(([name]) => name === '_include').map(([, value]) => value);
}

/** `type/id` of every resource the includes point to that the answer does not hold, by resource type. */
export function missingReferences(bundle: Bundle, includes: readonly string[]): Map<string, Set<string>> {
  const present = new Set(
    (bundle.entry ?? []).flatMap((entry) =>
      entry.resource ? [`${entry.resource.resourceType}/${entry.resource.id}`] : [],
    ),
  );
  const missing = new Map<string, Set<string>>();
  for (const include of includes) {
    const path = INCLUDE_PATHS[include];
    if (!path) continue;
    const [sourceType] = include.split(':');
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource as FhirResource | undefined;
      if (!resource || resource.resourceType !== sourceType || entry.search?.mode === 'include') continue;
      for (const reference of path(resource)) {
        const parsed = parseReference(reference);
        if (!parsed || present.has(`${parsed.resourceType}/${parsed.id}`)) continue;
        const ids = missing.get(parsed.resourceType) ?? new Set<string>();
        ids.add(parsed.id);
        missing.set(parsed.resourceType, ids);
      }
    }
  }
  return missing;
}

/** Ids per `_id` search: short enough for any server's URL limit. */
const IDS_PER_SEARCH = 50;

export interface IncludeReader {
  /** Whether the server declares this include for the type (`CapabilityStatement.rest.resource.searchInclude`). */
  declares(type: string, include: string): Promise<boolean>;
  /** The resources of one type with these ids (a search by `_id`, following its pages). */
  readByIds(type: string, ids: string[]): Promise<FhirResource[]>;
}

/** The bundle with what the includes point to, read where the server did not include it itself. */
export async function withIncludedResources(
  bundle: Bundle,
  includes: readonly string[],
  reader: IncludeReader,
): Promise<Bundle> {
  // Nothing missing (the server included it all, or nothing points anywhere): no need to ask what it declares.
  if (missingReferences(bundle, includes).size === 0) return bundle;
  const undeclared: string[] = [];
  for (const include of includes)
    if (INCLUDE_PATHS[include] && !(await reader.declares(include.split(':')[0], include))) undeclared.push(include);
  const missing = missingReferences(bundle, undeclared);
  if (missing.size === 0) return bundle;
  const read: BundleEntry[] = [];
  for (const [type, ids] of missing) {
    const all = [...ids];
    for (let start = 0; start < all.length; start += IDS_PER_SEARCH) {
      const found = await reader.readByIds(type, all.slice(start, start + IDS_PER_SEARCH));
      read.push(...found.map((resource) => ({ resource, search: { mode: 'include' as const } })));
    }
  }
  return { ...bundle, entry: [...(bundle.entry ?? []), ...read] };
}
