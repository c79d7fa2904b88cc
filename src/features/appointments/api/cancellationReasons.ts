/**
 * Why an appointment is cancelled, as the desk chooses it: four reasons from the R4 value set
 * appointment-cancellation-reason (http://hl7.org/fhir/ValueSet/appointment-cancellation-reason),
 * sent to `$cancel` where the server declares it (domain.md, "The appointment's life after booking").
 */
import type { Coding, Parameters } from 'fhir/r4';

export const CANCELLATION_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
export const CANCELLATION_NOTE_MAX = 500;

export interface DeskCancellationReason {
  code: string;
  /** What the desk reads in the select. */
  label: string;
  /** The code system's own display. */
  display: string;
  /** "Other" says nothing by itself: a note is asked for. */
  needsNote: boolean;
}

/** "Other" is the code system's `other` (there is no `oth`; `oth-*` are its children). */
export const DESK_CANCELLATION_REASONS: readonly DeskCancellationReason[] = [
  { code: 'pat', label: 'Patient request', display: 'Patient', needsNote: false },
  { code: 'prov', label: 'Practitioner unavailable', display: 'Provider', needsNote: false },
  { code: 'oth-err', label: 'Booked in error', display: 'Other: Error', needsNote: false },
  { code: 'other', label: 'Other (say why in a note)', display: 'Other', needsNote: true },
];

export interface CancellationChoice {
  code: string;
  note?: string;
}

export function reasonCoding(code: string): Coding {
  const known = DESK_CANCELLATION_REASONS.find((reason) => reason.code === code);
  return { system: CANCELLATION_REASON_SYSTEM, code, ...(known ? { display: known.display } : {}) };
}

/** The `$cancel` Parameters: `reason` (valueCoding) and, when there is one, `note` (valueString). */
export function cancelParameters({ code, note }: CancellationChoice): Parameters {
  const trimmed = note?.trim();
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'reason', valueCoding: reasonCoding(code) },
      ...(trimmed ? [{ name: 'note', valueString: trimmed }] : []),
    ],
  };
}

/** What is wrong with a choice before it is sent, in words for the field; undefined when it can go. */
export function cancellationChoiceProblems(choice: { code: string; note: string }): { reason?: string; note?: string } {
  const reason = DESK_CANCELLATION_REASONS.find((found) => found.code === choice.code);
  if (!reason) return { reason: 'Choose why the appointment is cancelled.' };
  const note = choice.note.trim();
  if (reason.needsNote && note === '') return { note: 'Say why in the note: "Other" needs a few words.' };
  if (note.length > CANCELLATION_NOTE_MAX)
    return { note: `The note is ${note.length} characters long: keep it to ${CANCELLATION_NOTE_MAX}.` };
  return {};
}
