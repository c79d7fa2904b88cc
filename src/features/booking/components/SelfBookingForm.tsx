import type { Appointment } from 'fhir/r4';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { checkProposedAppointment, checkVisitReason, type AppointmentField } from '../../../../domain/appointmentRules';
import { DELIVERY_CHANNEL_DISPLAY, type DeliveryChannel } from '../../../../domain/extensions';
import { useAppConfig } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { issuesByField, proposedAppointment, type FieldMessages } from '../api/proposedAppointment';
import type { BookingResult } from '../api/useBookAppointment';
import { useBookingSubmission } from '../hooks/useBookingSubmission';
import { BookingOutcome } from './BookingOutcome';
import { VisitReasonFields, type VisitReason } from './VisitReasonFields';

interface Choice {
  id: string;
  name: string;
}

/** The free time a patient chose: the slot, and with whom, where and how. */
export interface ChosenTime {
  /** The slot's id. */
  id: string;
  start: string;
  startsAt: Date;
  practitioner: Choice;
  location?: Choice;
  channel?: DeliveryChannel;
}

interface Problem {
  title: string;
  details: string[];
}

/** Where a patient sees a message: beside the time, the reason or the comment. */
type PatientField = 'when' | 'description' | 'comment';
type PatientErrors = Partial<Record<PatientField, string[]>>;

const PATIENT_FIELD: Partial<Record<AppointmentField, PatientField>> = {
  start: 'when',
  end: 'when',
  slot: 'when',
  description: 'description',
  comment: 'comment',
};

export interface SelfBookingFormProps {
  patient: { id: string; name: string | undefined };
  /** Whom the patient chose to see (a practitioner, or anyone): the later steps show once there is a choice. */
  who: string | undefined;
  time: ChosenTime | undefined;
  /** Step 1, choosing whom to see. */
  whoChoice: ReactNode;
  /** Step 2, choosing how and when. */
  timeChoice: ReactNode;
  onBooked: (result: BookingResult, time: ChosenTime) => void;
  /** The chosen time went to someone else: the caller clears it and keeps whom and the week. */
  onSlotTaken: () => void;
}

/** Each message beside the patient's field it is about; those about nothing a patient chose in a summary. */
function placed({ fields, summary }: { fields: FieldMessages; summary: string[] }): {
  errors: PatientErrors;
  unplaced: string[];
} {
  const errors: PatientErrors = {};
  const unplaced = [...summary];
  for (const [field, messages] of Object.entries(fields) as Array<[AppointmentField, string[]]>) {
    const target = PATIENT_FIELD[field];
    if (target) errors[target] = [...new Set([...(errors[target] ?? []), ...messages])];
    else unplaced.push(...messages);
  }
  return { errors, unplaced };
}

/** The reason's and comment's paths name their fields without looking at what was submitted. */
const NOTHING_SUBMITTED: Appointment = { resourceType: 'Appointment', status: 'proposed', participant: [] };

const messagesOf = (errors: PatientErrors, unplaced: string[]) => [
  ...new Set([...(errors.when ?? []), ...(errors.description ?? []), ...(errors.comment ?? []), ...unplaced]),
];

/** A patient books for themselves: whom (or anyone), how and when, what for, then a check; the desk's rules and submission. */
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
  const [reason, setReason] = useState<VisitReason>({ description: '', comment: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errors, setErrors] = useState<PatientErrors>({});
  const [askedAbout, setAskedAbout] = useState({ who, time: time?.id });
  const [focusOn, setFocusOn] = useState<{ field: PatientField } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const whenRef = useRef<HTMLHeadingElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  // What went wrong was about the last choice of whom or time: choosing again clears it. A time taken
  // meanwhile is cleared by the caller, and the message saying so stays until the next choice.
  if (who !== askedAbout.who || (time && time.id !== askedAbout.time)) {
    setAskedAbout({ who, time: time?.id });
    setProblem(null);
    setErrors(({ description, comment }) => ({ description, comment }));
  }
  // Lengths are checked as the patient types, so the message is there before they book.
  const live = placed(issuesByField(checkVisitReason(reason, { reasonRequired: false }), NOTHING_SUBMITTED)).errors;
  const shown: PatientErrors = {
    when: errors.when,
    description: live.description ?? errors.description,
    comment: live.comment ?? errors.comment,
  };

  useEffect(() => {
    if (problem || submission.uncertain) outcomeRef.current?.focus();
  }, [problem, submission.uncertain]);
  useEffect(() => {
    if (focusOn?.field === 'when') whenRef.current?.focus();
    if (focusOn?.field === 'description') reasonRef.current?.focus();
    if (focusOn?.field === 'comment') commentRef.current?.focus();
  }, [focusOn]);

  const changeReason = (next: VisitReason) => {
    setErrors((current) => ({
      ...current,
      ...(next.description !== reason.description ? { description: undefined } : {}),
      ...(next.comment !== reason.comment ? { comment: undefined } : {}),
    }));
    setReason(next);
  };

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
      { description: reason.description, comment: reason.comment, channel: time.channel },
    );
    // The shared rules first, as at the desk: a time that has just passed, or no reason, is not sent at all.
    const before = [
      ...checkProposedAppointment(appointment, new Date()),
      ...checkVisitReason(appointment, { reasonRequired: true }),
    ];
    if (before.length > 0) {
      const found = placed(issuesByField(before, appointment));
      setErrors(found.errors);
      const first = (['when', 'description', 'comment'] as const).find((field) => found.errors[field]);
      if (first) setFocusOn({ field: first });
      else setProblem({ title: 'This time cannot be booked.', details: found.unplaced });
      return;
    }
    setErrors({});
    const outcome = await submission.submit(appointment);
    if (outcome.kind === 'booked') onBooked(outcome.result, time);
    if (outcome.kind !== 'refused') return;
    const { refusal } = outcome;
    if (refusal.slotTaken) {
      onSlotTaken();
      setProblem({
        title: `Someone else booked ${formatClinicDateTime(time.startsAt, timeZone)} a moment ago. The free times have been refreshed: choose another.`,
        details: [],
      });
      return;
    }
    const found = placed(refusal);
    if (refusal.patientBusy)
      found.errors.when = [
        `You already have an appointment booked at ${formatClinicDateTime(time.startsAt, timeZone)} (with this or another practitioner): choose another time.`,
      ];
    setErrors(found.errors);
    setProblem({
      title: 'The appointment was not booked.',
      details:
        messagesOf(found.errors, found.unplaced).length > 0
          ? messagesOf(found.errors, found.unplaced)
          : [refusal.reason],
    });
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
        <section
          className="card"
          aria-labelledby="my-booking-when"
          aria-describedby={shown.when ? 'my-booking-when-error' : undefined}
        >
          <h2 id="my-booking-when" ref={whenRef} tabIndex={-1} className="card__title">
            <span className="step">2</span> How and when
          </h2>
          {shown.when && (
            <p id="my-booking-when-error" className="field__error">
              {shown.when.join(' ')}
            </p>
          )}
          {timeChoice}
        </section>
      )}
      {who && (
        <section className="card" aria-labelledby="my-booking-what">
          <h2 id="my-booking-what" className="card__title">
            <span className="step">3</span> What for
          </h2>
          <VisitReasonFields
            value={reason}
            onChange={changeReason}
            errors={shown}
            reasonRef={reasonRef}
            commentRef={commentRef}
          />
        </section>
      )}
      {who && (
        <section className="card" aria-labelledby="my-booking-check">
          <h2 id="my-booking-check" className="card__title">
            <span className="step">4</span> Check and book
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
            {time?.channel && (
              <div>
                <dt>How</dt>
                <dd>{DELIVERY_CHANNEL_DISPLAY[time.channel]}</dd>
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
