import { useEffect, useRef, useState, type ReactNode } from 'react';
import { checkProposedAppointment } from '../../../../domain/appointmentRules';
import { useAppConfig } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { issuesByField, proposedAppointment } from '../api/proposedAppointment';
import type { BookingResult } from '../api/useBookAppointment';
import { useBookingSubmission } from '../hooks/useBookingSubmission';
import { BookingOutcome } from './BookingOutcome';

interface Choice {
  id: string;
  name: string;
}

/** The free time a patient chose: the slot, and with whom and where. */
export interface ChosenTime {
  /** The slot's id. */
  id: string;
  start: string;
  startsAt: Date;
  practitioner: Choice;
  location?: Choice;
}

interface Problem {
  title: string;
  details: string[];
}

export interface SelfBookingFormProps {
  patient: { id: string; name: string | undefined };
  /** Whom the patient chose to see (a practitioner, or anyone): the later steps show once there is a choice. */
  who: string | undefined;
  time: ChosenTime | undefined;
  /** Step 1, choosing whom to see. */
  whoChoice: ReactNode;
  /** Step 2, choosing a time. */
  timeChoice: ReactNode;
  onBooked: (result: BookingResult, time: ChosenTime) => void;
  /** The chosen time went to someone else: the caller clears it and keeps whom and the week. */
  onSlotTaken: () => void;
}

/** A patient sees no form fields to point at: every message in one list. */
function messagesOf({ fields, summary }: ReturnType<typeof issuesByField>): string[] {
  return [...new Set([...summary, ...Object.values(fields).flat()])];
}

/** A patient books for themselves: whom (or anyone), then a time, then a check; the desk's rules and submission. */
export function SelfBookingForm({
  patient,
  who,
  time,
  whoChoice,
  timeChoice,
  onBooked,
  onSlotTaken,
}: SelfBookingFormProps) {
  const { timeZone } = useAppConfig();
  const submission = useBookingSubmission();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [problemWho, setProblemWho] = useState(who);
  const outcomeRef = useRef<HTMLDivElement>(null);

  // What went wrong was about the last choice of whom to see: choosing again clears it.
  if (who !== problemWho) {
    setProblemWho(who);
    setProblem(null);
  }
  useEffect(() => {
    if (problem || submission.uncertain) outcomeRef.current?.focus();
  }, [problem, submission.uncertain]);

  const book = async () => {
    if (!time) return;
    setProblem(null);
    const appointment = proposedAppointment(
      {
        patient: patient.id,
        practitioner: time.practitioner.id,
        location: time.location?.id ?? '',
        slot: time.id,
        start: time.start,
        end: '',
      },
      { patient: patient.name, practitioner: time.practitioner.name, location: time.location?.name },
    );
    // The shared rules first, as at the desk: a time that has just passed is not sent at all.
    const before = checkProposedAppointment(appointment, new Date());
    if (before.length > 0) {
      setProblem({ title: 'This time cannot be booked.', details: messagesOf(issuesByField(before, appointment)) });
      return;
    }
    const outcome = await submission.submit(appointment);
    if (outcome.kind === 'booked') onBooked(outcome.result, time);
    if (outcome.kind !== 'refused') return;
    if (outcome.refusal.slotTaken) {
      onSlotTaken();
      setProblem({
        title: `Someone else booked ${formatClinicDateTime(time.startsAt, timeZone)} a moment ago. The free times have been refreshed: choose another.`,
        details: [],
      });
    } else {
      setProblem({
        title: `The appointment was not booked. ${outcome.refusal.reason}`,
        details: messagesOf(outcome.refusal),
      });
    }
  };

  return (
    <>
      <section className="card" aria-labelledby="my-booking-who">
        <h2 id="my-booking-who" className="card__title">
          <span className="step">1</span> Who
        </h2>
        {whoChoice}
      </section>
      {who && (
        <section className="card" aria-labelledby="my-booking-when">
          <h2 id="my-booking-when" className="card__title">
            <span className="step">2</span> When
          </h2>
          {timeChoice}
        </section>
      )}
      {who && (
        <section className="card" aria-labelledby="my-booking-check">
          <h2 id="my-booking-check" className="card__title">
            <span className="step">3</span> Check and book
          </h2>
          <dl className="summary">
            <div>
              <dt>When</dt>
              <dd>{time ? formatClinicDateTime(time.startsAt, timeZone) : 'Choose a time'}</dd>
            </div>
            <div>
              <dt>With</dt>
              <dd>{time?.practitioner.name ?? 'Not chosen yet'}</dd>
            </div>
            {time?.location && (
              <div>
                <dt>Where</dt>
                <dd>{time.location.name}</dd>
              </div>
            )}
          </dl>
          <BookingOutcome
            ref={outcomeRef}
            submission={submission}
            uncertainAdvice={
              <p>Book again: we first check whether the first try got through, so it is never booked twice.</p>
            }
            failure={problem ?? undefined}
          />
          <button
            type="button"
            className="button button--primary button--wide"
            disabled={!time}
            aria-busy={submission.pending}
            onClick={() => void book()}
          >
            Book this appointment
          </button>
        </section>
      )}
    </>
  );
}
