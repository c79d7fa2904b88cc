/** Which resources `_include` pulls in beside the matches, grouped by type for one query each. */
import type { Appointment, Resource, Schedule, Slot } from 'fhir/r4';
import { participantsOfType } from '../../domain/appointmentRules';
import { parseReference } from '../../domain/references';
import type { IncludeTarget } from './searchSpec';

function referencesFor(resource: Resource, target: IncludeTarget): Array<string | undefined> {
  if (resource.resourceType === 'Appointment') {
    const appointment = resource as Appointment;
    const types = {
      patient: ['Patient'],
      practitioner: ['Practitioner'],
      location: ['Location'],
      actor: ['Patient', 'Practitioner', 'Location'],
      schedule: [],
    }[target] as Array<'Patient' | 'Practitioner' | 'Location'>;
    return types.flatMap((type) => participantsOfType(appointment, type).map((found) => `${type}/${found.id}`));
  }
  if (resource.resourceType === 'Slot' && target === 'schedule') return [(resource as Slot).schedule?.reference];
  if (resource.resourceType === 'Schedule' && target === 'actor')
    return ((resource as Schedule).actor ?? []).map((actor) => actor.reference);
  return [];
}

export function includedReferences(resources: Resource[], targets: IncludeTarget[]): Map<string, string[]> {
  const byType = new Map<string, Set<string>>();
  for (const resource of resources) {
    for (const target of targets) {
      for (const reference of referencesFor(resource, target)) {
        const ref = parseReference(reference);
        if (!ref) continue;
        if (!byType.has(ref.resourceType)) byType.set(ref.resourceType, new Set());
        byType.get(ref.resourceType)?.add(ref.id);
      }
    }
  }
  return new Map([...byType].map(([type, ids]) => [type, [...ids]]));
}
