import type { Appointment } from 'fhir/r4';
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorSummary, errorLines } from '../../../components/ErrorSummary';
import { DialogActions } from '../../../components/DialogActions';
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
import { CancelFields } from './CancelFields';
import { cutoffRefusal } from '../changeCutoff';
import type { ClinicContact } from '../clinicContact';
import { PhoneTheClinic } from './PhoneTheClinic';

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
  /** Whom to phone when the server says it is too late to cancel online. */
  clinic?: ClinicContact;
  /** The server refused for the patients' cut-off: its words, for the list to show in place of the buttons. */
  onTooLate?: (why: string) => void;
}

/** Cancel one appointment, saying why: for a patient's list and for the diary alike. */
export function CancelAppointmentDialog({
  appointment,
  names = {},
  onClose,
  onCancelled,
  byPatient = false,
  clinic = {},
  onTooLate,
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
  const tooLate = cutoffRefusal(cancel.error);
  const tooLateRef = useRef<HTMLDivElement>(null);
  // The button that had the focus is gone: the refusal takes it, so it is read out at once.
  useEffect(() => {
    if (tooLate) tooLateRef.current?.focus();
  }, [tooLate]);
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
    cancel.mutate(
      { appointment, reason: { code: code || 'pat', note } },
      {
        onSuccess: onCancelled,
        onError: (error) => {
          const why = cutoffRefusal(error);
          if (why) onTooLate?.(why);
        },
      },
    );
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
      {tooLate ? (
        <div role="alert">
          <PhoneTheClinic ref={tooLateRef} why={`It is too late to cancel online. ${tooLate}`} clinic={clinic} />
        </div>
      ) : (
        <CancelFields
          byPatient={byPatient}
          keepsReason={cancel.keepsReason}
          code={code}
          onCode={setCode}
          note={note}
          onNote={setNote}
          needsNote={needsNote}
          problems={problems}
          reasonRef={reasonRef}
          noteRef={noteRef}
        />
      )}
      {cancel.isError && !tooLate && (
        <ErrorSummary title={cancelFailureTitle(cancel.error)} details={errorLines(cancel.error).details} />
      )}
      <DialogActions
        slow={slow}
        closeLabel={tooLate ? 'Close' : 'Keep appointment'}
        onClose={close}
        confirm={
          tooLate
            ? undefined
            : { label: 'Cancel appointment', tone: 'danger', pending: cancel.isPending, onConfirm: confirm }
        }
      />
    </Dialog>
  );
}
