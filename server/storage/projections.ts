/**
 * What each resource contributes to the search tables. Computed in one place so a single write,
 * the bulk seed and a re-index all agree.
 */
import type {
  Appointment,
  CodeableConcept,
  HumanName,
  Identifier,
  Location,
  Patient,
  Practitioner,
  Provenance,
  Resource,
  Schedule,
  Slot,
} from 'fhir/r4';
import { actorId, slotId } from '../../domain/appointmentRules';
import { deliveryChannelOf } from '../../domain/extensions';
import { NHI_SYSTEM } from '../../domain/identifiers';
import { parseReference } from '../../domain/references';
import { searchWords } from './searchText';

export interface StringRow {
  param: string;
  value: string;
}
export interface TokenRow {
  param: string;
  system: string | null;
  value: string;
}
export interface ScheduleActorRow {
  actor_type: string;
  actor_id: string;
}
export interface SlotRow {
  schedule_id: string;
  status: string;
  start_at: string;
  end_at: string;
}
export interface AppointmentRow {
  status: string;
  patient_id: string | null;
  practitioner_id: string | null;
  location_id: string | null;
  slot_id: string | null;
  start_at: string | null;
  end_at: string | null;
}

export interface Projection {
  strings: StringRow[];
  tokens: TokenRow[];
  patient?: { birthdate: string | null };
  scheduleActors?: ScheduleActorRow[];
  slot?: SlotRow;
  appointment?: AppointmentRow;
}

/** NHIs are case-insensitive and kept upper case; other identifier values are kept as given. */
export function identifierValue(system: string | null | undefined, value: string): string {
  return system === NHI_SYSTEM ? value.trim().toUpperCase() : value.trim();
}

function identifierTokens(identifiers: Identifier[] | undefined): TokenRow[] {
  return (identifiers ?? [])
    .filter((identifier) => typeof identifier.value === 'string')
    .map((identifier) => ({
      param: 'identifier',
      system: identifier.system ?? null,
      value: identifierValue(identifier.system, identifier.value as string),
    }));
}

/** `service-type`: each coding of each service type, as [system|]code. */
function serviceTypeTokens(concepts: CodeableConcept[] | undefined): TokenRow[] {
  const codings = (Array.isArray(concepts) ? concepts : []).flatMap((concept) =>
    Array.isArray(concept?.coding) ? concept.coding : [],
  );
  return dedupe(
    codings
      .filter((coding) => typeof coding?.code === 'string' && coding.code !== '')
      .map((coding) => ({ param: 'service-type', system: coding.system ?? null, value: coding.code as string })),
  );
}

/**
 * What Slot and Appointment are searched by besides their own table: `channel` (our extension, a
 * code with no system) and `service-type`. Token rows rather than columns: most searches use neither,
 * and slot_search stays as narrow as the week searches need it.
 */
function serviceTokens(resource: Slot | Appointment): TokenRow[] {
  const channel = deliveryChannelOf(resource);
  return [
    ...(channel ? [{ param: 'channel', system: null, value: channel }] : []),
    ...serviceTypeTokens(resource.serviceType),
  ];
}

function nameStrings(names: HumanName[] | undefined): StringRow[] {
  const rows: StringRow[] = [];
  for (const name of names ?? []) {
    const family = searchWords(name.family ?? '');
    const given = (name.given ?? []).flatMap(searchWords);
    const other = [...(name.prefix ?? []), ...(name.suffix ?? []), name.text ?? ''].flatMap(searchWords);
    for (const value of family) rows.push({ param: 'family', value }, { param: 'name', value });
    for (const value of given) rows.push({ param: 'given', value }, { param: 'name', value });
    for (const value of other) rows.push({ param: 'name', value });
  }
  return dedupe(rows);
}

function dedupe<T>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function projectionOf(resource: Resource): Projection {
  switch (resource.resourceType) {
    case 'Patient': {
      const patient = resource as Patient;
      return {
        strings: nameStrings(patient.name),
        tokens: identifierTokens(patient.identifier),
        patient: { birthdate: patient.birthDate ?? null },
      };
    }
    case 'Practitioner': {
      const practitioner = resource as Practitioner;
      return { strings: nameStrings(practitioner.name), tokens: identifierTokens(practitioner.identifier) };
    }
    case 'Location': {
      const location = resource as Location;
      const words = [location.name ?? '', ...(location.alias ?? [])].flatMap(searchWords);
      return {
        strings: dedupe(words.map((value) => ({ param: 'name', value }))),
        tokens: identifierTokens(location.identifier),
      };
    }
    case 'Schedule': {
      const schedule = resource as Schedule;
      const actors = (schedule.actor ?? [])
        .map((actor) => parseReference(actor.reference))
        .filter((ref) => ref !== undefined);
      return {
        strings: [],
        tokens: serviceTypeTokens(schedule.serviceType),
        scheduleActors: dedupe(actors.map((ref) => ({ actor_type: ref.resourceType, actor_id: ref.id }))),
      };
    }
    case 'Slot': {
      const slot = resource as Slot;
      return {
        strings: [],
        tokens: serviceTokens(slot),
        slot: {
          schedule_id: parseReference(slot.schedule?.reference)?.id ?? '',
          status: slot.status,
          start_at: slot.start,
          end_at: slot.end,
        },
      };
    }
    case 'Appointment': {
      const appointment = resource as Appointment;
      return {
        strings: [],
        tokens: serviceTokens(appointment),
        appointment: {
          status: appointment.status,
          patient_id: actorId(appointment, 'Patient') ?? null,
          practitioner_id: actorId(appointment, 'Practitioner') ?? null,
          location_id: actorId(appointment, 'Location') ?? null,
          slot_id: slotId(appointment) ?? null,
          start_at: appointment.start ?? null,
          end_at: appointment.end ?? null,
        },
      };
    }
    case 'Provenance': {
      // Each target as a token: the system is the target's type, the value its id (any version).
      const targets = ((resource as Provenance).target ?? [])
        .map((target) => parseReference(target.reference))
        .filter((ref) => ref !== undefined);
      return {
        strings: [],
        tokens: dedupe(targets.map((ref) => ({ param: 'target', system: ref.resourceType, value: ref.id }))),
      };
    }
    default:
      return { strings: [], tokens: [] };
  }
}
