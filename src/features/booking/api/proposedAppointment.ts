import type { Appointment, AppointmentParticipant, OperationOutcomeIssue } from 'fhir/r4';
import { appointmentFieldFor, type AppointmentField } from '../../../../domain/appointmentRules';
import { deliveryChannelExtension, type DeliveryChannel } from '../../../../domain/extensions';
import { issueMessage } from '../../../../domain/operationOutcome';

/** The booking form's values: the profile's elements, as ids and the slot's start and end. */
export interface BookingValues {
  patient: string;
  practitioner: string;
  location: string;
  slot: string;
  start: string;
  /** The slot's end: R4 wants an end with every start (invariant app-2); empty, the write fills it in. */
  end: string;
}

/** What a patient adds: the reason for the visit, a comment, and how they will be seen (the slot's channel). */
export interface VisitDetails {
  description?: string;
  comment?: string;
  channel?: DeliveryChannel;
}

/** Names shown to people and sent as reference displays; ids are what the server checks. */
export interface BookingNames {
  patient?: string;
  practitioner?: string;
  location?: string;
}

/** A display is a name: an id standing in for a missing name is never written as one. */
function participant(type: string, id: string, display: string | undefined): AppointmentParticipant {
  const name = display?.trim();
  return {
    actor: { reference: `${type}/${id}`, ...(name && name !== id ? { display: name } : {}) },
    status: 'accepted',
  };
}

/** The Appointment to POST: status "proposed", the server books it. */
export function proposedAppointment(
  values: BookingValues,
  names: BookingNames,
  details: VisitDetails = {},
): Appointment {
  const participants: AppointmentParticipant[] = [];
  if (values.patient) participants.push(participant('Patient', values.patient, names.patient));
  if (values.practitioner) participants.push(participant('Practitioner', values.practitioner, names.practitioner));
  if (values.location) participants.push(participant('Location', values.location, names.location));
  const description = details.description?.trim();
  const comment = details.comment?.trim();
  return {
    resourceType: 'Appointment',
    ...(details.channel ? { extension: [deliveryChannelExtension(details.channel)] } : {}),
    status: 'proposed',
    ...(description ? { description } : {}),
    ...(values.start ? { start: values.start } : {}),
    ...(comment ? { comment } : {}),
    ...(values.start && values.end ? { end: values.end } : {}),
    ...(values.slot ? { slot: [{ reference: `Slot/${values.slot}` }] } : {}),
    participant: participants,
  };
}

export type FieldMessages = Partial<Record<AppointmentField, string[]>>;

/** Each issue beside the field its expression names; the rest for a summary. */
export function issuesByField(
  issues: OperationOutcomeIssue[],
  submitted: Appointment,
): { fields: FieldMessages; summary: string[] } {
  const fields: FieldMessages = {};
  const summary: string[] = [];
  for (const found of issues) {
    const field = (found.expression ?? [])
      .map((path) => appointmentFieldFor(path, submitted))
      .find((candidate) => candidate !== undefined);
    const message = issueMessage(found);
    if (field && field !== 'status') (fields[field] ??= []).push(message);
    else summary.push(message);
  }
  return { fields, summary };
}
