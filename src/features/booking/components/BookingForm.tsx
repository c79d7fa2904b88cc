import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { checkProposedAppointment, type AppointmentField } from '../../../../domain/appointmentRules';
import { ErrorSummary, errorLines } from '../../../components/ErrorSummary';
import { Spinner } from '../../../components/Spinner';
import { useAppConfig } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { FhirRequestError } from '../../../lib/fhirClient';
import { useIsSlow } from '../../../lib/useIsSlow';
import { issuesByField, proposedAppointment, type BookingNames, type BookingValues, type FieldMessages } from '../api/proposedAppointment';
import { isUncertainFailure, useBookAppointment, type BookingResult } from '../api/useBookAppointment';

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
  slot?: { id: string; start: string };
  renderPractitioner: (field: FieldSlot) => ReactNode;
  renderLocation: (field: FieldSlot) => ReactNode;
  renderSlots: (field: FieldSlot) => ReactNode;
  onBooked: (result: BookingResult) => void;
  /** The chosen slot went to someone else: the caller clears it and keeps every other choice. */
  onSlotTaken: () => void;
}

type FormField = Exclude<AppointmentField, 'status' | 'end'>;
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
    () => ({ patient: patient.id, practitioner: practitioner?.id ?? '', location: location?.id ?? '', slot: slot?.id ?? '', start: slot?.start ?? '' }),
    [patient.id, practitioner?.id, location?.id, slot?.id, slot?.start],
  );
  // The shared profile rules are the validator, so the form refuses what the server would.
  const resolver: Resolver<BookingValues> = async (current) => {
    const problems = checkProposedAppointment(proposedAppointment(current, names), new Date());
    const { fields } = issuesByField(problems, proposedAppointment(current, names));
    const errors = toFormErrors(fields);
    return Object.keys(errors).length > 0 ? { values: {}, errors } : { values: current, errors: {} };
  };
  const { handleSubmit, formState, setError } = useForm<BookingValues>({ values, resolver, shouldFocusError: false });
  const booking = useBookAppointment();
  const [uncertain, setUncertain] = useState(false);
  const [slotTaken, setSlotTaken] = useState(false);
  const slow = useIsSlow(booking.isPending);
  const outcomeRef = useRef<HTMLDivElement>(null);

  const focusOutcome = () => outcomeRef.current?.focus();
  const book = async (current: BookingValues) => {
    // Enter in a field submits too: one booking in flight at a time.
    if (booking.isPending) return;
    setSlotTaken(false);
    const appointment = proposedAppointment(current, names);
    try {
      const result = await booking.mutateAsync({ appointment, checkExistingFirst: uncertain });
      setUncertain(false);
      props.onBooked(result);
    } catch (error) {
      if (isUncertainFailure(error)) {
        setUncertain(true);
      } else {
        setUncertain(false);
        const issues = error instanceof FhirRequestError ? error.issues : [];
        const { fields, summary } = issuesByField(issues, appointment);
        for (const [field, fieldError] of Object.entries(toFormErrors(fields))) setError(field as FormField, { type: 'server', message: fieldError?.message });
        const unplaced = Object.keys(fields).length === 0 ? [errorLines(error).title, ...summary] : summary;
        if (unplaced.length > 0) setError('root.server', { type: 'server', message: unplaced.join('\n') });
        if (error instanceof FhirRequestError && error.status === 409) {
          setSlotTaken(true);
          props.onSlotTaken();
        }
      }
    }
    focusOutcome();
  };

  const errors = formState.errors;
  const fieldMessage = (field: FormField) => errors[field]?.message;
  const timeMessage = fieldMessage('slot') ?? fieldMessage('start');
  const fieldErrorCount = FORM_FIELDS.filter((field) => fieldMessage(field)).length;
  const serverSummary = errors.root?.server?.message?.split('\n') ?? [];
  const slotField: FieldSlot = { errorId: errorIdOf('slot'), invalid: Boolean(timeMessage) };

  return (
    <form className="booking" aria-label="Book an appointment" noValidate onSubmit={(event) => void handleSubmit(book, focusOutcome)(event)}>
      <div className="booking__choices">
        <div className="card">
          <h2 className="card__title">
            <span className="step">1</span> Practitioner and location
          </h2>
          {props.renderPractitioner({ errorId: errorIdOf('practitioner'), invalid: Boolean(fieldMessage('practitioner')) })}
          <FieldError field="practitioner" message={fieldMessage('practitioner')} />
          {practitioner && props.renderLocation({ errorId: errorIdOf('location'), invalid: Boolean(fieldMessage('location')) })}
          <FieldError field="location" message={fieldMessage('location')} />
        </div>
        <div className="card">
          <h2 className="card__title">
            <span className="step">2</span> Time
          </h2>
          {slotTaken && !slot && (
            <p className="notice notice--warning" role="status">
              That time was booked by someone else a moment ago. The free slots have been refreshed: choose another time.
            </p>
          )}
          <FieldError field="slot" message={timeMessage} />
          {practitioner ? props.renderSlots(slotField) : <p className="field__hint">Choose a practitioner to see their free slots.</p>}
        </div>
      </div>
      <section className="card booking__check" aria-labelledby="booking-check">
        <h2 id="booking-check" className="card__title">
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
        <div ref={outcomeRef} tabIndex={-1} className="booking__outcome">
          {uncertain && !booking.isPending && (
            <ErrorSummary title="The booking could not be confirmed: the server did not answer.">
              <p>Your choices are kept. Before booking again we check whether the first attempt got through, so it is never booked twice.</p>
              <button type="submit" className="button button--secondary">
                Try again
              </button>
            </ErrorSummary>
          )}
          {!uncertain && !booking.isPending && (fieldErrorCount > 0 || serverSummary.length > 0) && (
            <ErrorSummary
              title={fieldErrorCount > 0 ? `The appointment was not booked. ${fieldErrorCount === 1 ? 'One field needs' : `${fieldErrorCount} fields need`} attention: see the message beside it.` : 'The appointment was not booked.'}
              details={serverSummary}
            />
          )}
          {booking.isPending && (
            <p className="notice" role="status">
              <Spinner /> {slow ? 'The server is slow to answer; still waiting. Please do not book again.' : 'Booking…'}
            </p>
          )}
        </div>
        <button type="submit" className="button button--primary button--wide" aria-busy={booking.isPending} aria-disabled={booking.isPending} onClick={(event) => booking.isPending && event.preventDefault()}>
          Book appointment
        </button>
      </section>
    </form>
  );
}
