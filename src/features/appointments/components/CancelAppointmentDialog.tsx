import type { Appointment } from 'fhir/r4';
import { useId, useRef, useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorSummary, errorLines } from '../../../components/ErrorSummary';
import { Spinner } from '../../../components/Spinner';
import { useAppConfig } from '../../../lib/appContext';
import { useIsSlow } from '../../../lib/useIsSlow';
import { appointmentRow } from '../api/appointmentQueries';
import {
  CANCELLATION_NOTE_MAX,
  cancellationChoiceProblems,
  DESK_CANCELLATION_REASONS,
} from '../api/cancellationReasons';
import { cancelFailureTitle, useCancelAppointment } from '../api/useCancelAppointment';
import { appointmentWhen } from '../appointmentText';

export interface AppointmentNames {
  practitioner?: string;
  location?: string;
}

interface CancelAppointmentDialogProps {
  appointment: Appointment;
  /** Names the screen already knows, for references the appointment stores without a display. */
  names?: AppointmentNames;
  onClose: () => void;
  onCancelled: (cancelled: Appointment) => void;
  /** A patient cancelling their own: the reason is theirs ("Patient"), with an optional note; the desk's reasons are not offered. */
  byPatient?: boolean;
}

/** Cancel one appointment, saying why: for a patient's list and for the diary alike. */
export function CancelAppointmentDialog({
  appointment,
  names = {},
  onClose,
  onCancelled,
  byPatient = false,
}: CancelAppointmentDialogProps) {
  const { timeZone } = useAppConfig();
  const cancel = useCancelAppointment();
  const slow = useIsSlow(cancel.isPending);
  const row = appointmentRow(appointment);
  const practitionerName = names.practitioner ?? row.practitionerName;
  const locationName = names.location ?? row.locationName;
  const [code, setCode] = useState(byPatient ? 'pat' : '');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<{ reason?: string; note?: string }>({});
  const reasonRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const ids = {
    reason: useId(),
    reasonHint: useId(),
    reasonError: useId(),
    note: useId(),
    noteHint: useId(),
    noteError: useId(),
  };
  const needsNote = DESK_CANCELLATION_REASONS.find((reason) => reason.code === code)?.needsNote ?? false;

  const close = () => {
    if (!cancel.isPending) onClose();
  };
  const confirm = () => {
    if (cancel.isPending) return;
    // Where the server keeps no reason, none is required; one chosen is still checked ("Other" wants its note).
    const found = cancellationChoiceProblems({ code, note });
    const blocking =
      cancel.keepsReason || code !== ''
        ? found
        : { note: note.trim().length > CANCELLATION_NOTE_MAX ? found.note : undefined };
    setProblems(blocking);
    if (blocking.reason) return reasonRef.current?.focus();
    if (blocking.note) return noteRef.current?.focus();
    cancel.mutate({ appointment, reason: { code: code || 'pat', note } }, { onSuccess: onCancelled });
  };

  return (
    <Dialog title="Cancel this appointment?" onClose={close}>
      <dl className="summary">
        <div>
          <dt>When</dt>
          <dd>{appointmentWhen(row, timeZone)}</dd>
        </div>
        <div>
          <dt>With</dt>
          <dd>{practitionerName}</dd>
        </div>
        {locationName && (
          <div>
            <dt>Where</dt>
            <dd>{locationName}</dd>
          </div>
        )}
      </dl>
      {!byPatient && (
        <div className="field">
          <label htmlFor={ids.reason} className="field__label">
            Reason{!cancel.keepsReason && <span className="field__optional"> (optional)</span>}
          </label>
          <p id={ids.reasonHint} className="field__hint">
            {cancel.keepsReason
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
            onChange={(event) => setCode(event.target.value)}
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
          onChange={(event) => setNote(event.target.value)}
        />
        {problems.note && (
          <p id={ids.noteError} className="field__error">
            {problems.note}
          </p>
        )}
      </div>
      <p>The slot becomes free for someone else. This cannot be undone here.</p>
      {cancel.isError && (
        <ErrorSummary title={cancelFailureTitle(cancel.error)} details={errorLines(cancel.error).details} />
      )}
      {slow && (
        <p role="status" className="notice">
          The server is slow to answer; still waiting.
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={close}>
          Keep appointment
        </button>
        <button type="button" className="button button--danger" aria-busy={cancel.isPending} onClick={confirm}>
          {cancel.isPending && <Spinner />}
          Cancel appointment
        </button>
      </div>
    </Dialog>
  );
}
