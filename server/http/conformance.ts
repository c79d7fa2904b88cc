/**
 * The definitions the CapabilityStatement points at, readable from the server: an
 * OperationDefinition for each operation and a StructureDefinition for each of our extensions.
 */
import type { OperationDefinition, OperationDefinitionParameter, StructureDefinition } from 'fhir/r4';
import { CANCELLATION_NOTE_MAX, CANCELLATION_REASON_SYSTEM } from '../../domain/appointmentLifecycle';
import { CANONICAL_BASE, DELIVERY_CHANNELS, OWN_EXTENSIONS } from '../../domain/extensions';

const REASON_VALUE_SET = 'http://hl7.org/fhir/ValueSet/appointment-cancellation-reason';

const input = (
  name: string,
  type: OperationDefinitionParameter['type'],
  min: number,
  documentation: string,
  extra: Partial<OperationDefinitionParameter> = {},
): OperationDefinitionParameter => ({
  name,
  use: 'in',
  min,
  max: '1',
  type,
  documentation,
  ...extra,
});

const appointmentOut: OperationDefinitionParameter = {
  name: 'return',
  use: 'out',
  min: 1,
  max: '1',
  type: 'Appointment',
  documentation: 'The appointment as stored after the operation.',
};

function operation(
  code: string,
  title: string,
  description: string,
  parameter: OperationDefinitionParameter[],
): OperationDefinition {
  return {
    resourceType: 'OperationDefinition',
    id: `Appointment-${code}`,
    url: `${CANONICAL_BASE}/OperationDefinition/Appointment-${code}`,
    name: title.replace(/\W/g, ''),
    title,
    status: 'active',
    kind: 'operation',
    description,
    code,
    resource: ['Appointment'],
    system: false,
    type: false,
    instance: true,
    affectsState: true,
    parameter,
  };
}

export const OPERATION_DEFINITIONS: OperationDefinition[] = [
  operation(
    'cancel',
    'Cancel an appointment with a reason',
    'Cancels a booked appointment, records why in cancelationReason (the reason as its coding, the note as its text) and frees its slot. ' +
      'If-Match is honoured. Patients may cancel their own until the cut-off before the start (PATIENT_CANCEL_CUTOFF_MINUTES); after it, 422. ' +
      'The medTech page\'s PUT with status "cancelled" still cancels, without a reason.',
    [
      input('reason', 'Coding', 1, `Why: a code of ${CANCELLATION_REASON_SYSTEM}, e.g. pat, prov, oth-err.`, {
        binding: { strength: 'required', valueSet: REASON_VALUE_SET },
      }),
      input('note', 'string', 0, `Free text, at most ${CANCELLATION_NOTE_MAX} characters.`),
      appointmentOut,
    ],
  ),
  operation(
    'reschedule',
    'Move an appointment to another time',
    "In one transaction: books a new appointment for the same patient (the practitioner and location of the new slot's schedule; description, comment, " +
      'types and delivery channel carried over; the extension ' +
      'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces pointing at the old one) and cancels the old one ' +
      `(cancelationReason.text "Rescheduled", extension ${OWN_EXTENSIONS['rescheduled-to']} pointing at the new one). ` +
      'When the new time cannot be booked (409 or 422) nothing changes and the old appointment stays booked. Returns the new appointment.',
    [
      input('slot', 'Reference', 0, 'The free Slot to move to; or give start (and end) instead.', {
        targetProfile: ['http://hl7.org/fhir/StructureDefinition/Slot'],
      }),
      input(
        'start',
        'dateTime',
        0,
        'The new start (an instant with an offset), with the same practitioner; instead of slot.',
      ),
      input('end', 'dateTime', 0, "The new end; without it, the practitioner's usual slot length."),
      input(
        'reason',
        'Coding',
        0,
        'Why it moved, from appointment-cancellation-reason, recorded on the old appointment.',
        { binding: { strength: 'required', valueSet: REASON_VALUE_SET } },
      ),
      { ...appointmentOut, documentation: 'The new, booked appointment.' },
    ],
  ),
];

function extension(
  id: keyof typeof OWN_EXTENSIONS,
  title: string,
  description: string,
  contexts: string[],
  valueType: string,
  binding?: { codes: readonly string[] },
): StructureDefinition {
  const url = OWN_EXTENSIONS[id];
  return {
    resourceType: 'StructureDefinition',
    id,
    url,
    name: title.replace(/\W/g, ''),
    title,
    status: 'active',
    description: binding ? `${description} Codes: ${binding.codes.join(', ')}.` : description,
    fhirVersion: '4.0.1',
    kind: 'complex-type',
    abstract: false,
    context: contexts.map((expression) => ({ type: 'element', expression })),
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: {
      element: [
        { id: 'Extension', path: 'Extension', short: title, definition: description, max: '1' },
        { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
        { id: 'Extension.url', path: 'Extension.url', fixedUri: url },
        {
          id: 'Extension.value[x]',
          path: 'Extension.value[x]',
          min: 1,
          type: [
            {
              code: valueType,
              ...(valueType === 'Reference'
                ? { targetProfile: ['http://hl7.org/fhir/StructureDefinition/Appointment'] }
                : {}),
            },
          ],
        },
      ],
    },
  };
}

export const STRUCTURE_DEFINITIONS: StructureDefinition[] = [
  extension(
    'rescheduled-to',
    'Rescheduled to',
    'On a cancelled appointment: the appointment it was rescheduled to.',
    ['Appointment'],
    'Reference',
  ),
  extension(
    'online-bookable',
    'Bookable online',
    "Whether patients may book this schedule's slots themselves; on a Slot it overrides its schedule. Absent: bookable.",
    ['Schedule', 'Slot'],
    'boolean',
  ),
  extension(
    'delivery-channel',
    'Delivery channel',
    'How the patient is seen. Search Slot and Appointment by it with the parameter channel.',
    ['Slot', 'Appointment'],
    'code',
    { codes: DELIVERY_CHANNELS },
  ),
];
