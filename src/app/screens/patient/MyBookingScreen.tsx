import { useQuery } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { WeekNavigation } from '../../../components/WeekNavigation';
import { proposedAppointment, issuesByField } from '../../../features/booking/api/proposedAppointment';
import { BookingConfirmation } from '../../../features/booking/components/BookingConfirmation';
import { BookingOutcome } from '../../../features/booking/components/BookingOutcome';
import { useBookingSubmission } from '../../../features/booking/hooks/useBookingSubmission';
import { CalendarFileLink } from '../../../features/booking/components/CalendarFileLink';
import { patientQueries } from '../../../features/patients/api/patientQueries';
import { PractitionerChoice } from '../../../features/practitioners/components/PractitionerChoice';
import { daysOf, DayChoice, TimeChoice } from '../../../features/slots/components/DayAndTimeChoice';
import { checkProposedAppointment } from '../../../../domain/appointmentRules';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { addClinicDays, clinicDate, startOfClinicWeek } from '../../../../domain/clinicTime';
import { formatClinicDateTime, formatWeek, humanName } from '../../../lib/format';
import { usePageTitle } from '../../usePageTitle';
import { PATHS } from '../../urlState';
import { useBookableTimes, type BookableTime } from './useBookableTimes';

/** A patient sees no form fields to point at: every message in one list. */
function messagesOf({ fields, summary }: ReturnType<typeof issuesByField>): string[] {
  return [...new Set([...summary, ...Object.values(fields).flat()])];
}

/** A patient books for themselves: who (or anyone), then a day, then a time; the desk's rules and booking hook. */
export default function MyBookingScreen({ patientId }: { patientId: string }) {
  usePageTitle('Book an appointment');
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const thisWeek = startOfClinicWeek(clinicDate(new Date(), timeZone));
  const [practitioner, setPractitioner] = useState<string | undefined>();
  const [week, setWeek] = useState(thisWeek);
  const [day, setDay] = useState<string | undefined>();
  const [time, setTime] = useState<BookableTime | undefined>();
  const [problem, setProblem] = useState<{ title: string; details: string[] } | null>(null);
  const [booked, setBooked] = useState<{ appointment: Appointment; time: BookableTime; recovered: boolean } | null>(null);
  const patient = useQuery(patientQueries.detail(client, patientId));
  const times = useBookableTimes(practitioner, week);
  const submission = useBookingSubmission();
  const outcomeRef = useRef<HTMLDivElement>(null);

  // The first day with a free time is chosen already: "first available" needs no more taps.
  const days = daysOf(times.options);
  const shownDay = day && days.some((found) => found.day === day) ? day : days[0]?.day;
  const dayTimes = times.options.filter((option) => option.day === shownDay);
  const chosen = time && times.options.some((option) => option.id === time.id) ? time : undefined;
  useEffect(() => {
    if (problem || submission.uncertain) outcomeRef.current?.focus();
  }, [problem, submission.uncertain]);

  const changeWeek = (weekStart: string) => {
    setWeek(weekStart);
    setDay(undefined);
    setTime(undefined);
  };

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
      setTime(undefined);
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
            setDay(undefined);
            setTime(undefined);
            setProblem(null);
          }}
        />
      </section>
      {practitioner && (
        <section className="card" aria-labelledby="my-booking-when">
          <h2 id="my-booking-when" className="card__title">
            <span className="step">2</span> When
          </h2>
          <WeekNavigation title={<p className="week-nav__title">Week of {formatWeek(week)}</p>} weekStart={week} thisWeek={thisWeek} onWeekChange={changeWeek} compact />
          {times.pending && <Loading label="Loading free times…" />}
          {times.error && <LoadError error={times.error} onRetry={times.retry} />}
          {times.noSchedule && <EmptyState title="This practitioner has no times to book online. Choose someone else, or first available with anyone." />}
          {!times.pending && !times.error && !times.noSchedule && days.length === 0 && (
            <EmptyState title="No free times this week.">
              <button type="button" className="button button--secondary" onClick={() => changeWeek(addClinicDays(week, 7))}>
                Look at the next week
              </button>
            </EmptyState>
          )}
          {days.length > 0 && (
            <>
              <DayChoice
                options={times.options}
                value={shownDay}
                onChange={(next) => {
                  setDay(next);
                  setTime(undefined);
                }}
              />
              <TimeChoice options={dayTimes} value={chosen?.id} onChange={(option) => setTime(times.options.find((found) => found.id === option.id))} />
            </>
          )}
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
