/**
 * Names for references that carry no `display`. Another system's Schedule may name its Location by
 * reference alone; the app then reads the Location for its name rather than showing (or writing back
 * as a display) its id.
 */
import type { FhirResource, Location, Patient, Practitioner, Reference } from 'fhir/r4';
import { parseReference } from '../../domain/references';
import type { FhirClient } from './fhirClient';
import { humanName } from './format';
import { searchAll } from './searchAll';

/** What a person calls the resource, if it says. */
export function resourceName(resource: FhirResource): string | undefined {
  if (resource.resourceType === 'Location') return (resource as Location).name;
  if (resource.resourceType === 'Practitioner' || resource.resourceType === 'Patient') {
    const names = (resource as Practitioner | Patient).name;
    return names?.length ? humanName(names) : undefined;
  }
  return undefined;
}

const IDS_PER_SEARCH = 50;

/**
 * `type/id` -> name, for every reference: its display where it has one, else the referenced resource's
 * name (read by `_id`, one search per type and 50 ids). A reference nothing names is left out.
 */
export async function namesOfReferences(
  client: FhirClient,
  references: ReadonlyArray<Reference | undefined>,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unnamed = new Map<string, Set<string>>();
  for (const reference of references) {
    const parsed = parseReference(reference?.reference);
    if (!parsed) continue;
    const key = `${parsed.resourceType}/${parsed.id}`;
    const display = reference?.display?.trim();
    if (display) names.set(key, display);
    else {
      const ids = unnamed.get(parsed.resourceType) ?? new Set<string>();
      ids.add(parsed.id);
      unnamed.set(parsed.resourceType, ids);
    }
  }
  for (const [type, idSet] of unnamed) {
    const ids = [...idSet].filter((id) => !names.has(`${type}/${id}`));
    for (let start = 0; start < ids.length; start += IDS_PER_SEARCH) {
      const chunk = ids.slice(start, start + IDS_PER_SEARCH);
      const { matches } = await searchAll(client, type, [['_id', chunk.join(',')]], signal);
      for (const resource of matches) {
        const name = resourceName(resource);
        if (name) names.set(`${type}/${resource.id}`, name);
      }
    }
  }
  return names;
}
