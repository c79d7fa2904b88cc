import { useId, type Ref } from 'react';
import { CANCELLATION_NOTE_MAX, DESK_CANCELLATION_REASONS } from '../api/cancellationReasons';

interface CancelFieldsProps {
  byPatient: boolean;
  /** Whether the server records the reason ($cancel): then the desk must give one. */
  keepsReason: boolean;
  code: string;
  onCode: (code: string) => void;
  note: string;
  onNote: (note: string) => void;
  needsNote: boolean;
  problems: { reason?: string; note?: string };
  reasonRef: Ref<HTMLSelectElement>;
  noteRef: Ref<HTMLTextAreaElement>;
}

/** Why it is cancelled: the desk's reason (a patient's is always their own) and a note. */
export function CancelFields({
  byPatient,
  keepsReason,
  code,
  onCode,
  note,
  onNote,
  needsNote,
  problems,
  reasonRef,
  noteRef,
}: CancelFieldsProps) {
  const ids = {
    reason: useId(),
    reasonHint: useId(),
    reasonError: useId(),
    note: useId(),
    noteHint: useId(),
    noteError: useId(),
  };
  return (
    <>
      {!byPatient && (
        <div className="field">
          <label htmlFor={ids.reason} className="field__label">
            Reason{!keepsReason && <span className="field__optional"> (optional)</span>}
          </label>
          <p id={ids.reasonHint} className="field__hint">
            {keepsReason
              ? 'Kept with the appointment.'
              : 'This FHIR server does not record cancellation reasons, so the reason is not saved.'}
          </p>
          <select
            ref={reasonRef}
            id={ids.reason}
            className="input select"
            value={code}
            aria-invalid={problems.reason ? true : undefined}
            aria-describedby={[problems.reason ? ids.reasonError : undefined, ids.reasonHint].filter(Boolean).join(' ')}
            onChange={(event) => onCode(event.target.value)}
          >
            <option value="">Choose a reason</option>
            {DESK_CANCELLATION_REASONS.map((reason) => (
              <option key={reason.code} value={reason.code}>
                {reason.label}
              </option>
            ))}
          </select>
          {problems.reason && (
            <p id={ids.reasonError} className="field__error">
              {problems.reason}
            </p>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.note} className="field__label">
          Note{!needsNote && <span className="field__optional"> (optional)</span>}
        </label>
        <p id={ids.noteHint} className="field__hint">
          Up to {CANCELLATION_NOTE_MAX} characters ({note.trim().length} used).
        </p>
        <textarea
          ref={noteRef}
          id={ids.note}
          className="input textarea"
          rows={3}
          value={note}
          aria-invalid={problems.note ? true : undefined}
          aria-describedby={[problems.note ? ids.noteError : undefined, ids.noteHint].filter(Boolean).join(' ')}
          onChange={(event) => onNote(event.target.value)}
        />
        {problems.note && (
          <p id={ids.noteError} className="field__error">
            {problems.note}
          </p>
        )}
      </div>
      <p>The slot becomes free for someone else. This cannot be undone here.</p>
    </>
  );
}
