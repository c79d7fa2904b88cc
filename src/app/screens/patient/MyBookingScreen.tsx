import { useQuery } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { proposedAppointment, issuesByField } from '../../../features/booking/api/proposedAppointment';
import { BookingConfirmation } from '../../../features/booking/components/BookingConfirmation';
import { BookingOutcome } from '../../../features/booking/components/BookingOutcome';
import { useBookingSubmission } from '../../../features/booking/hooks/useBookingSubmission';
import { CalendarFileLink } from '../../../features/booking/components/CalendarFileLink';
import { patientQueries } from '../../../features/patients/api/patientQueries';
import { PractitionerChoice } from '../../../features/practitioners/components/PractitionerChoice';
import { useChosenPractitioner } from '../../../features/practitioners/hooks/useChosenPractitioner';
import { BookableTimeChoice } from '../../../features/slots/components/BookableTimeChoice';
import { useBookableTimeChoice } from '../../../features/slots/hooks/useBookableTimeChoice';
import type { BookableTime } from '../../../features/slots/hooks/useBookableTimes';
import { checkProposedAppointment } from '../../../../domain/appointmentRules';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { formatClinicDateTime, humanName } from '../../../lib/format';
import { usePageTitle } from '../../usePageTitle';
import { PATHS } from '../../urlState';

/** A patient sees no form fields to point at: every message in one list. */
function messagesOf({ fields, summary }: ReturnType<typeof issuesByField>): string[] {
  return [...new Set([...summary, ...Object.values(fields).flat()])];
}

/** A patient books for themselves: who (or anyone), then a day, then a time; the desk's rules and booking hook. */
export default function MyBookingScreen({ patientId }: { patientId: string }) {
  usePageTitle('Book an appointment');
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const [practitioner, setPractitioner] = useState<string | undefined>();
  const timeChoice = useBookableTimeChoice(useChosenPractitioner(practitioner));
  const chosen = timeChoice.chosen;
  const [problem, setProblem] = useState<{ title: string; details: string[] } | null>(null);
  const [booked, setBooked] = useState<{ appointment: Appointment; time: BookableTime; recovered: boolean } | null>(null);
  const patient = useQuery(patientQueries.detail(client, patientId));
  const submission = useBookingSubmission();
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (problem || submission.uncertain) outcomeRef.current?.focus();
  }, [problem, submission.uncertain]);

  const book = async () => {
    if (!chosen) return;
    setProblem(null);
    const names = { patient: patient.data ? humanName(patient.data.name) : undefined, practitioner: chosen.practitioner.name, location: chosen.location?.name };
    const appointment = proposedAppointment(
      { patient: patientId, practitioner: chosen.practitioner.id, location: chosen.location?.id ?? '', slot: chosen.id, start: chosen.start },
      names,
    );
    // The shared rules first, as at the desk: a time that has just passed is not sent at all.
    const before = checkProposedAppointment(appointment, new Date());
    if (before.length > 0) {
      setProblem({ title: 'This time cannot be booked.', details: messagesOf(issuesByField(before, appointment)) });
      return;
    }
    const outcome = await submission.submit(appointment);
    if (outcome.kind === 'booked') setBooked({ appointment: outcome.result.appointment, time: chosen, recovered: outcome.result.recovered });
    if (outcome.kind !== 'refused') return;
    if (outcome.refusal.slotTaken) {
      timeChoice.clearTime();
      setProblem({ title: 'Someone else booked that time a moment ago. The free times have been refreshed: choose another.', details: [] });
    } else {
      setProblem({ title: `The appointment was not booked. ${outcome.refusal.reason}`, details: messagesOf(outcome.refusal) });
    }
  };

  if (booked) {
    return (
      <div className="screen screen--narrow">
        <h1 className="screen__title">Book an appointment</h1>
        <BookingConfirmation
          appointment={booked.appointment}
          recovered={booked.recovered}
          names={{ Patient: patient.data ? humanName(patient.data.name) : undefined, Practitioner: booked.time.practitioner.name, Location: booked.time.location?.name }}
          actions={
            <>
              <CalendarFileLink appointment={booked.appointment} practitionerName={booked.time.practitioner.name} locationName={booked.time.location?.name} />
              <Link href={PATHS.mine} className="button button--primary">
                Back to your appointments
              </Link>
            </>
          }
        />
      </div>
    );
  }

  return (
    <div className="screen screen--narrow my-booking">
      <h1 className="screen__title">Book an appointment</h1>
      <section className="card" aria-labelledby="my-booking-who">
        <h2 id="my-booking-who" className="card__title">
          <span className="step">1</span> Who
        </h2>
        <PractitionerChoice
          legend="Who would you like to see?"
          value={practitioner}
          onChange={(value) => {
            setPractitioner(value);
            timeChoice.clearDayAndTime();
            setProblem(null);
          }}
        />
      </section>
      {practitioner && (
        <section className="card" aria-labelledby="my-booking-when">
          <h2 id="my-booking-when" className="card__title">
            <span className="step">2</span> When
          </h2>
          <BookableTimeChoice choice={timeChoice} />
        </section>
      )}
      {practitioner && (
        <section className="card" aria-labelledby="my-booking-check">
          <h2 id="my-booking-check" className="card__title">
            <span className="step">3</span> Check and book
          </h2>
          <dl className="summary">
            <div>
              <dt>When</dt>
              <dd>{chosen ? formatClinicDateTime(chosen.startsAt, timeZone) : 'Choose a time'}</dd>
            </div>
            <div>
              <dt>With</dt>
              <dd>{chosen?.practitioner.name ?? 'Not chosen yet'}</dd>
            </div>
            {chosen?.location && (
              <div>
                <dt>Where</dt>
                <dd>{chosen.location.name}</dd>
              </div>
            )}
          </dl>
          <BookingOutcome
            ref={outcomeRef}
            submission={submission}
            uncertainAdvice={<p>Book again: we first check whether the first try got through, so it is never booked twice.</p>}
            failure={problem ?? undefined}
          />
          <button type="button" className="button button--primary button--wide" disabled={!chosen} aria-busy={submission.pending} onClick={() => void book()}>
            Book this appointment
          </button>
        </section>
      )}
      <p>
        <Link href={PATHS.mine}>Back to your appointments</Link>
      </p>
    </div>
  );
}
