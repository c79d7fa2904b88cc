import type { Appointment } from 'fhir/r4';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorSummary, errorLines } from '../../../components/ErrorSummary';
import { DialogActions } from '../../../components/DialogActions';
import { Spinner } from '../../../components/Spinner';
import { useAppConfig } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { useIsSlow } from '../../../lib/useIsSlow';
import { actorId } from '../../../../domain/appointmentRules';
import { appointmentRow } from '../api/appointmentQueries';
import {
  isSlotLost,
  useCancelReplaced,
  useRescheduleAppointment,
  type RescheduleResult,
  type RescheduleTarget,
} from '../api/useRescheduleAppointment';
import { appointmentWhen } from '../appointmentText';
import { cutoffRefusal } from '../changeCutoff';
import type { ClinicContact } from '../clinicContact';
import type { AppointmentNames } from './CancelAppointmentDialog';
import { PhoneTheClinic } from './PhoneTheClinic';

/** What the screen's slot picker is given: it lives in other features, so the screen composes it. */
export interface ReschedulePickerProps {
  /** The practitioner the appointment is with now: their times are offered first. */
  currentPractitioner: { id: string; name: string } | undefined;
  chosen: RescheduleTarget | undefined;
  onChoose: (target: RescheduleTarget | undefined) => void;
}

interface RescheduleDialogProps {
  appointment: Appointment;
  names?: AppointmentNames;
  renderPicker: (props: ReschedulePickerProps) => ReactNode;
  onClose: () => void;
  /** Done: a sentence saying where the appointment is now, for the screen to announce. */
  onRescheduled: (message: string) => void;
  /** Whom to phone when the server says it is too late to change online. */
  clinic?: ClinicContact;
  /** The server refused for the patients' cut-off: its words, for the list to show in place of the buttons. */
  onTooLate?: (why: string) => void;
}

type Problem =
  | { kind: 'no-time' }
  | { kind: 'lost'; target: RescheduleTarget }
  | { kind: 'failed'; error: unknown }
  /** Past the patients' cut-off: nothing to choose any more, only a number to phone. */
  | { kind: 'too-late'; why: string }
  | { kind: 'old-still-booked'; result: Extract<RescheduleResult, { kind: 'old-still-booked' }> };

/** Moves one appointment to another free time with one confirmation: for a patient's list and for the diary alike. */
export function RescheduleDialog({
  appointment,
  names = {},
  renderPicker,
  onClose,
  onRescheduled,
  clinic = {},
  onTooLate,
}: RescheduleDialogProps) {
  const { timeZone } = useAppConfig();
  const reschedule = useRescheduleAppointment();
  const cancelOld = useCancelReplaced();
  const busy = reschedule.isPending || cancelOld.isPending;
  const slow = useIsSlow(busy);
  const row = appointmentRow(appointment);
  const practitionerName = names.practitioner ?? row.practitionerName;
  const currentPractitionerId = actorId(appointment, 'Practitioner');
  const [target, setTarget] = useState<RescheduleTarget | undefined>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const oldWhen = appointmentWhen(row, timeZone);
  const newWhen = (to: RescheduleTarget) =>
    `${formatClinicDateTime(new Date(to.start), timeZone)} with ${to.practitioner.name ?? to.practitioner.id}`;

  // A problem takes the focus, so the desk (and a screen reader) hears what happened at once.
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  const close = () => {
    if (!busy) onClose();
  };
  const confirm = () => {
    if (busy) return;
    if (!target) return setProblem({ kind: 'no-time' });
    setProblem(null);
    reschedule.mutate(
      { appointment, to: target },
      {
        onSuccess: (result) => {
          if (result.kind === 'moved') onRescheduled(`The appointment is moved to ${newWhen(target)}.`);
          else setProblem({ kind: 'old-still-booked', result });
        },
        onError: (error) => {
          const why = cutoffRefusal(error);
          if (why) {
            setProblem({ kind: 'too-late', why });
            onTooLate?.(why);
          } else if (isSlotLost(error)) {
            setProblem({ kind: 'lost', target });
            setTarget(undefined);
          } else setProblem({ kind: 'failed', error });
        },
      },
    );
  };

  // Nothing left to choose: both are booked, or it is too late to change online.
  const done = problem?.kind === 'old-still-booked' || problem?.kind === 'too-late';
  return (
    <Dialog title="Reschedule this appointment" onClose={close} wide>
      <dl className="summary">
        <div>
          <dt>Now</dt>
          <dd>{oldWhen}</dd>
        </div>
        <div>
          <dt>With</dt>
          <dd>{practitionerName}</dd>
        </div>
      </dl>
      <div ref={problemRef} tabIndex={-1} className="booking__outcome">
        {problem?.kind === 'no-time' && <ErrorSummary title="Choose the new time first: nothing has changed yet." />}
        {problem?.kind === 'lost' && (
          <ErrorSummary
            title={`The time you chose, ${newWhen(problem.target)}, was booked by someone else a moment ago.`}
            details={[
              `Nothing has changed: the appointment is still at ${oldWhen}. The free times have been refreshed: choose another.`,
            ]}
          />
        )}
        {problem?.kind === 'too-late' && (
          <div role="alert">
            <PhoneTheClinic why={`It is too late to change this appointment online. ${problem.why}`} clinic={clinic} />
          </div>
        )}
        {problem?.kind === 'failed' && (
          <ErrorSummary
            title={`The appointment was not moved: it is still at ${oldWhen}. ${errorLines(problem.error).title}`}
            details={errorLines(problem.error).details}
          />
        )}
        {problem?.kind === 'old-still-booked' && !cancelOld.isSuccess && (
          <ErrorSummary
            title={`The new time is booked, but the old appointment could not be cancelled, so the patient is booked twice: ${oldWhen} and ${problem.result.booked.start ? formatClinicDateTime(new Date(problem.result.booked.start), timeZone) : 'the new time'}.`}
            details={[
              ...errorLines(cancelOld.isError ? cancelOld.error : problem.result.error).details,
              'Cancel the old appointment now, or from the list.',
            ]}
          >
            <button
              type="button"
              className="button button--danger"
              aria-busy={cancelOld.isPending}
              onClick={() =>
                !cancelOld.isPending &&
                cancelOld.mutate(appointment, {
                  onSuccess: () =>
                    onRescheduled(
                      `The old appointment is cancelled; the new one is at ${target ? newWhen(target) : 'the new time'}.`,
                    ),
                })
              }
            >
              {cancelOld.isPending && <Spinner />}
              Cancel the old appointment
            </button>
          </ErrorSummary>
        )}
      </div>
      {!done &&
        renderPicker({
          currentPractitioner: currentPractitionerId
            ? { id: currentPractitionerId, name: practitionerName }
            : undefined,
          chosen: target,
          onChoose: (chosen) => {
            setTarget(chosen);
            if (problem?.kind === 'lost' || problem?.kind === 'no-time') setProblem(null);
          },
        })}
      {!done && (
        <dl className="summary">
          <div>
            <dt>New time</dt>
            <dd>{target ? newWhen(target) : 'Not chosen yet'}</dd>
          </div>
          {target?.location?.name && (
            <div>
              <dt>Where</dt>
              <dd>{target.location.name}</dd>
            </div>
          )}
        </dl>
      )}
      <DialogActions
        slow={slow}
        closeLabel={done ? 'Close' : 'Keep the current time'}
        onClose={close}
        confirm={
          done
            ? undefined
            : { label: 'Move appointment', tone: 'primary', pending: reschedule.isPending, onConfirm: confirm }
        }
      />
    </Dialog>
  );
}
