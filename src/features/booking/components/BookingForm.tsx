import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { checkProposedAppointment, type AppointmentField } from '../../../../domain/appointmentRules';
import { useAppConfig } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import {
  issuesByField,
  proposedAppointment,
  type BookingNames,
  type BookingValues,
  type FieldMessages,
} from '../api/proposedAppointment';
import type { BookingResult } from '../api/useBookAppointment';
import { useBookingSubmission, type BookingRefusal } from '../hooks/useBookingSubmission';
import { BookingOutcome } from './BookingOutcome';

/** Where a picker puts its error, so the booking form can say what is wrong beside it. */
export interface FieldSlot {
  errorId: string;
  invalid: boolean;
}

interface Choice {
  id: string;
  name: string;
}

export interface BookingFormProps {
  patient: Choice;
  practitioner?: Choice;
  location?: Choice;
  slot?: { id: string; start: string; end: string };
  renderPractitioner: (field: FieldSlot) => ReactNode;
  renderLocation: (field: FieldSlot) => ReactNode;
  renderSlots: (field: FieldSlot) => ReactNode;
  onBooked: (result: BookingResult) => void;
  /** The chosen slot went to someone else: the caller clears it and keeps every other choice. */
  onSlotTaken: () => void;
}

// The desk sends no reason or comment, so those never come back to it.
type FormField = Exclude<AppointmentField, 'status' | 'end' | 'description' | 'comment'>;
const FORM_FIELDS: FormField[] = ['patient', 'practitioner', 'location', 'slot', 'start'];

function toFormErrors(fields: FieldMessages): FieldErrors<BookingValues> {
  const errors: FieldErrors<BookingValues> = {};
  for (const [field, messages] of Object.entries(fields) as Array<[AppointmentField, string[]]>) {
    // `end` is never chosen here: the slot sets it, so its problems belong beside the slot.
    const target: FormField = field === 'end' ? 'slot' : (field as FormField);
    if (!FORM_FIELDS.includes(target)) continue;
    errors[target] = { type: 'rules', message: messages.join(' ') };
  }
  return errors;
}

function errorIdOf(field: string): string {
  return `booking-error-${field}`;
}

function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={errorIdOf(field)} className="field__error">
      {message}
    </p>
  );
}

export function BookingForm(props: BookingFormProps) {
  const { patient, practitioner, location, slot } = props;
  const { timeZone } = useAppConfig();
  const names: BookingNames = useMemo(
    () => ({ patient: patient.name, practitioner: practitioner?.name, location: location?.name }),
    [patient.name, practitioner?.name, location?.name],
  );
  const values: BookingValues = useMemo(
    () => ({
      patient: patient.id,
      practitioner: practitioner?.id ?? '',
      location: location?.id ?? '',
      slot: slot?.id ?? '',
      start: slot?.start ?? '',
      end: slot?.end ?? '',
    }),
    [patient.id, practitioner?.id, location?.id, slot?.id, slot?.start, slot?.end],
  );
  // The shared profile rules are the validator, so the form refuses what the server would.
  const resolver: Resolver<BookingValues> = async (current) => {
    const problems = checkProposedAppointment(proposedAppointment(current, names), new Date());
    const { fields } = issuesByField(problems, proposedAppointment(current, names));
    const errors = toFormErrors(fields);
    return Object.keys(errors).length > 0 ? { values: {}, errors } : { values: current, errors: {} };
  };
  const { handleSubmit, formState, setError } = useForm<BookingValues>({ values, resolver, shouldFocusError: false });
  const submission = useBookingSubmission();
  /** The start of the time someone else took between choosing and booking (a 409), to name it. */
  const [lostStart, setLostStart] = useState<string | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const lostRef = useRef<HTMLParagraphElement>(null);
  // The lost time's message takes the focus: it says what happened and what to do next.
  useEffect(() => {
    if (lostStart) lostRef.current?.focus();
  }, [lostStart]);

  const focusOutcome = () => outcomeRef.current?.focus();
  // The server's issues beside the fields their expressions name; the rest, or the reason, in the summary.
  const showRefusal = (refusal: BookingRefusal, start: string) => {
    for (const [field, fieldError] of Object.entries(toFormErrors(refusal.fields)))
      setError(field as FormField, { type: 'server', message: fieldError?.message });
    const unplaced = Object.keys(refusal.fields).length === 0 ? [refusal.reason, ...refusal.summary] : refusal.summary;
    if (unplaced.length > 0) setError('root.server', { type: 'server', message: unplaced.join('\n') });
    if (refusal.slotTaken) {
      setLostStart(start);
      props.onSlotTaken();
    }
  };
  const book = async (current: BookingValues) => {
    setLostStart(null);
    // Enter in a field submits too: while one booking is on its way, another is not sent.
    const outcome = await submission.submit(proposedAppointment(current, names));
    if (outcome.kind === 'busy') return;
    if (outcome.kind === 'booked') props.onBooked(outcome.result);
    if (outcome.kind === 'refused') showRefusal(outcome.refusal, current.start);
    if (outcome.kind !== 'refused' || !outcome.refusal.slotTaken) focusOutcome();
  };

  const errors = formState.errors;
  const fieldMessage = (field: FormField) => errors[field]?.message;
  const timeMessage = fieldMessage('slot') ?? fieldMessage('start');
  const fieldErrorCount = FORM_FIELDS.filter((field) => fieldMessage(field)).length;
  const serverSummary = errors.root?.server?.message?.split('\n') ?? [];
  const slotField: FieldSlot = { errorId: errorIdOf('slot'), invalid: Boolean(timeMessage) };
  const failure =
    fieldErrorCount > 0 || serverSummary.length > 0
      ? {
          title:
            fieldErrorCount > 0
              ? `The appointment was not booked. ${fieldErrorCount === 1 ? 'One field needs' : `${fieldErrorCount} fields need`} attention: see the message beside it.`
              : 'The appointment was not booked.',
          details: serverSummary,
        }
      : undefined;

  return (
    <form
      className="booking"
      aria-label="Book an appointment"
      noValidate
      onSubmit={(event) => void handleSubmit(book, focusOutcome)(event)}
    >
      <div className="booking__choices">
        <div className="card">
          <h2 className="card__title">
            <span className="step">1</span> Practitioner and location
          </h2>
          {props.renderPractitioner({
            errorId: errorIdOf('practitioner'),
            invalid: Boolean(fieldMessage('practitioner')),
          })}
          <FieldError field="practitioner" message={fieldMessage('practitioner')} />
          {practitioner &&
            props.renderLocation({ errorId: errorIdOf('location'), invalid: Boolean(fieldMessage('location')) })}
          <FieldError field="location" message={fieldMessage('location')} />
        </div>
        <div className="card">
          <h2 className="card__title">
            <span className="step">2</span> Time
          </h2>
          {lostStart && !slot && (
            <p ref={lostRef} tabIndex={-1} className="notice notice--warning" role="status">
              The time you chose, {formatClinicDateTime(new Date(lostStart), timeZone)}, was booked by someone else a
              moment ago. The free slots have been refreshed: choose another time.
            </p>
          )}
          <FieldError field="slot" message={timeMessage} />
          {practitioner ? (
            props.renderSlots(slotField)
          ) : (
            <p className="field__hint">Choose a practitioner to see their free slots.</p>
          )}
        </div>
      </div>
      <section className="card booking__check" aria-labelledby="booking-check">
        <h2 id="booking-check" className="card__title" tabIndex={-1}>
          <span className="step">3</span> Check and book
        </h2>
        <dl className="summary">
          <div>
            <dt>Patient</dt>
            <dd>{patient.name}</dd>
          </div>
          <FieldError field="patient" message={fieldMessage('patient')} />
          <div>
            <dt>Practitioner</dt>
            <dd>{practitioner?.name ?? 'Not chosen yet'}</dd>
          </div>
          <div>
            <dt>Location</dt>
            <dd>{location?.name ?? 'No particular location'}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd>{slot ? formatClinicDateTime(new Date(slot.start), timeZone) : 'Not chosen yet'}</dd>
          </div>
        </dl>
        <BookingOutcome
          ref={outcomeRef}
          submission={submission}
          uncertainAdvice={
            <>
              <p>
                Your choices are kept. Before booking again we check whether the first attempt got through, so it is
                never booked twice.
              </p>
              <button type="submit" className="button button--secondary">
                Try again
              </button>
            </>
          }
          failure={submission.uncertain ? undefined : failure}
        />
        <button
          type="submit"
          className="button button--primary button--wide"
          aria-busy={submission.pending}
          aria-disabled={submission.pending}
          onClick={(event) => submission.pending && event.preventDefault()}
        >
          Book appointment
        </button>
      </section>
    </form>
  );
}
