import { Dialog } from '../../../components/Dialog';
import { ErrorSummary, errorLines } from '../../../components/ErrorSummary';
import { Spinner } from '../../../components/Spinner';
import { useAppConfig } from '../../../lib/appContext';
import { useIsSlow } from '../../../lib/useIsSlow';
import type { AppointmentRow } from '../api/appointmentQueries';
import { cancelFailureTitle, useCancelAppointment } from '../api/useCancelAppointment';
import { appointmentWhen } from '../appointmentText';

interface CancelAppointmentDialogProps {
  patientId: string;
  row: AppointmentRow;
  onClose: () => void;
  onCancelled: () => void;
}

export function CancelAppointmentDialog({ patientId, row, onClose, onCancelled }: CancelAppointmentDialogProps) {
  const { timeZone } = useAppConfig();
  const cancel = useCancelAppointment(patientId);
  const slow = useIsSlow(cancel.isPending);
  const close = () => {
    if (!cancel.isPending) onClose();
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
          <dd>{row.practitionerName}</dd>
        </div>
        {row.locationName && (
          <div>
            <dt>Where</dt>
            <dd>{row.locationName}</dd>
          </div>
        )}
      </dl>
      <p>The slot becomes free for someone else. This cannot be undone here.</p>
      {cancel.isError && <ErrorSummary title={cancelFailureTitle(cancel.error)} details={errorLines(cancel.error).details} />}
      {slow && (
        <p role="status" className="notice">
          The server is slow to answer; still waiting.
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={close}>
          Keep appointment
        </button>
        <button
          type="button"
          className="button button--danger"
          aria-busy={cancel.isPending}
          onClick={() => {
            if (!cancel.isPending) cancel.mutate(row.id, { onSuccess: onCancelled });
          }}
        >
          {cancel.isPending && <Spinner />}
          Cancel appointment
        </button>
      </div>
    </Dialog>
  );
}
