/**
 * The patient's appointments as the app holds them (`queryKeys.appointments.forPatient`): every match of
 * the patient's search, whole, and the practitioners and locations its `_include`s brought. The
 * appointments feature fetches and shows it; the booking feature adds the appointment it has just
 * booked to it, so a booking does not search the list again. This shape is what both agree on.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { Appointment, FhirResource, Practitioner } from 'fhir/r4';
import { actorId } from '../../domain/appointmentRules';
import { parseReference } from '../../domain/references';
import { queryKeys } from './queryKeys';

export interface PatientAppointmentList {
  /** Every appointment of the patient (any status), in no promised order: the list sorts them when shown. */
  appointments: Appointment[];
  /** What `_include` brought: each referenced Practitioner and Location, once. */
  included: FhirResource[];
}

/** How long the list is taken as it is before it is looked at again (another desk may have changed it). */
export const PATIENT_APPOINTMENTS_STALE_MS = 30_000;

/** The types the list's search includes, so a row can show its practitioner and the clinic's phone and address. */
const INCLUDED_TYPES = new Set(['Practitioner', 'Location']);

/**
 * A resource a booking names that the app holds outside the list, as the server gave it and still fresh:
 * the practitioner chosen in the picker (its detail query). The list's search would include the same one.
 */
function heldElsewhere(queryClient: QueryClient, type: string, id: string): FhirResource | undefined {
  if (type !== 'Practitioner') return undefined;
  const query = queryClient
    .getQueryCache()
    .find<Practitioner>({ queryKey: queryKeys.practitioners.detail(id), exact: true });
  const resource = query?.state.data;
  if (!query || query.isStale() || resource?.resourceType !== 'Practitioner' || resource.id !== id) return undefined;
  return resource;
}

/**
 * Puts the server's answer to a booking into the patient's list, as searching again would have
 * given it, and says whether it did. It does only when that is certain: the list is held, fresh and
 * not being fetched, and the app holds every practitioner and location the booking names (the search
 * would have included them), in the list or, for the practitioner, from the picker. Otherwise the
 * caller has the list fetched again.
 */
export function addBookedAppointment(
  queryClient: QueryClient,
  booked: Appointment | undefined,
  now = Date.now(),
): boolean {
  // A server may answer a create without the resource (Prefer: return=minimal): then there is nothing to add.
  if (booked?.resourceType !== 'Appointment' || !booked.id || !booked.participant) return false;
  const patientId = actorId(booked, 'Patient');
  if (!patientId) return false;
  const key = queryKeys.appointments.forPatient(patientId);
  const state = queryClient.getQueryState<PatientAppointmentList>(key);
  const list = state?.data;
  if (!state || !list || state.isInvalidated || state.fetchStatus !== 'idle') return false;
  if (now - state.dataUpdatedAt >= PATIENT_APPOINTMENTS_STALE_MS) return false;
  const held = new Set(list.included.map((resource) => `${resource.resourceType}/${resource.id}`));
  const added: FhirResource[] = [];
  for (const participant of booked.participant) {
    const reference = parseReference(participant.actor?.reference);
    if (!reference || !INCLUDED_TYPES.has(reference.resourceType)) continue;
    const named = `${reference.resourceType}/${reference.id}`;
    if (held.has(named)) continue;
    const found = heldElsewhere(queryClient, reference.resourceType, reference.id);
    if (!found) return false;
    held.add(named);
    added.push(found);
  }
  queryClient.setQueryData<PatientAppointmentList>(
    key,
    {
      // A retry that found its earlier booking may find it listed already: once, as the server has it now.
      appointments: [...list.appointments.filter((appointment) => appointment.id !== booked.id), booked],
      included: [...list.included, ...added],
    },
    // As fresh as the search it came from: our own write is in it, but nobody else's since.
    { updatedAt: state.dataUpdatedAt },
  );
  return true;
}
