import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { BookingResult } from '../../../features/booking/api/useBookAppointment';
import { BookingConfirmation } from '../../../features/booking/components/BookingConfirmation';
import { CalendarFileLink } from '../../../features/booking/components/CalendarFileLink';
import { SelfBookingForm, type ChosenTime } from '../../../features/booking/components/SelfBookingForm';
import { patientQueries } from '../../../features/patients/api/patientQueries';
import { locationQueries, usualClinicQuery } from '../../../features/practitioners/api/practitionerQueries';
import { ANYONE, PractitionerChoice } from '../../../features/practitioners/components/PractitionerChoice';
import { useChosenPractitioner } from '../../../features/practitioners/hooks/useChosenPractitioner';
import { AnyoneFilters } from '../../../features/slots/components/AnyoneFilters';
import { BookableTimeChoice } from '../../../features/slots/components/BookableTimeChoice';
import type { AnyoneAmong } from '../../../features/slots/hooks/useBookableTimes';
import { useBookableTimeChoice } from '../../../features/slots/hooks/useBookableTimeChoice';
import { useFhirClient } from '../../../lib/appContext';
import { humanName } from '../../../lib/format';
import { usePageTitle } from '../../usePageTitle';
import { PATHS } from '../../urlState';

/**
 * A patient books for themselves: whom (or anyone at a clinic, their usual one first) from
 * practitioners, how and when from slots, what for and the booking from booking.
 */
export default function MyBookingScreen({ patientId }: { patientId: string }) {
  usePageTitle('Book an appointment');
  const client = useFhirClient();
  const patient = useQuery(patientQueries.detail(client, patientId));
  const patientName = patient.data ? humanName(patient.data.name) : undefined;
  const [who, setWho] = useState<string | undefined>();
  const locations = useQuery(locationQueries.all(client));
  const usualClinic = useQuery(usualClinicQuery(client, patientId));
  const [among, setAmong] = useState<AnyoneAmong | undefined>();
  // Until the patient picks a clinic: their usual one, else the first; nothing is searched before either is known.
  const defaultClinic = usualClinic.isPending ? undefined : (usualClinic.data ?? locations.data?.[0]?.id);
  const anyoneAmong = among ?? (defaultClinic ? { locationId: defaultClinic, role: '' } : undefined);
  const chosenPractitioner = useChosenPractitioner(who);
  const freeTimes = useBookableTimeChoice({ ...chosenPractitioner, among: anyoneAmong });
  const [booked, setBooked] = useState<{ result: BookingResult; time: ChosenTime } | null>(null);

  if (booked) {
    const { result, time } = booked;
    return (
      <div className="screen screen--narrow">
        <h1 className="screen__title">Book an appointment</h1>
        <BookingConfirmation
          appointment={result.appointment}
          recovered={result.recovered}
          forPatient
          names={{ Patient: patientName, Practitioner: time.practitioner.name, Location: time.location?.name }}
          actions={
            <>
              <CalendarFileLink
                appointment={result.appointment}
                practitionerName={time.practitioner.name}
                locationName={time.location?.name}
                locationAddress={locations.data?.find((place) => place.id === time.location?.id)?.address}
              />
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
      <SelfBookingForm
        patient={{ id: patientId, name: patientName }}
        who={who}
        time={freeTimes.chosen}
        whoChoice={
          <>
            <PractitionerChoice
              legend="Who would you like to see?"
              value={who}
              onChange={(value) => {
                setWho(value);
                freeTimes.clearDayAndTime();
              }}
            />
            {who === ANYONE && anyoneAmong && locations.data && (
              <AnyoneFilters
                locations={locations.data}
                usualClinicId={usualClinic.data ?? undefined}
                value={anyoneAmong}
                onChange={(next) => {
                  setAmong(next);
                  freeTimes.clearDayAndTime();
                }}
              />
            )}
          </>
        }
        timeChoice={<BookableTimeChoice choice={freeTimes} />}
        onBooked={(result, time) => setBooked({ result, time })}
        onSlotTaken={freeTimes.clearTime}
      />
      <p>
        <Link href={PATHS.mine}>Back to your appointments</Link>
      </p>
    </div>
  );
}
