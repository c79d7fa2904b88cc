import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { BookingResult } from '../../../features/booking/api/useBookAppointment';
import { BookingConfirmation } from '../../../features/booking/components/BookingConfirmation';
import { CalendarFileLink } from '../../../features/booking/components/CalendarFileLink';
import { SelfBookingForm, type ChosenTime } from '../../../features/booking/components/SelfBookingForm';
import { patientQueries } from '../../../features/patients/api/patientQueries';
import { PractitionerChoice } from '../../../features/practitioners/components/PractitionerChoice';
import { useChosenPractitioner } from '../../../features/practitioners/hooks/useChosenPractitioner';
import { BookableTimeChoice } from '../../../features/slots/components/BookableTimeChoice';
import { useBookableTimeChoice } from '../../../features/slots/hooks/useBookableTimeChoice';
import { useFhirClient } from '../../../lib/appContext';
import { humanName } from '../../../lib/format';
import { usePageTitle } from '../../usePageTitle';
import { PATHS } from '../../urlState';

/** A patient books for themselves: whom (or anyone) from practitioners, a time from slots, the booking from booking. */
export default function MyBookingScreen({ patientId }: { patientId: string }) {
  usePageTitle('Book an appointment');
  const client = useFhirClient();
  const patient = useQuery(patientQueries.detail(client, patientId));
  const patientName = patient.data ? humanName(patient.data.name) : undefined;
  const [who, setWho] = useState<string | undefined>();
  const chosenPractitioner = useChosenPractitioner(who);
  const freeTimes = useBookableTimeChoice(chosenPractitioner);
  const [booked, setBooked] = useState<{ result: BookingResult; time: ChosenTime } | null>(null);

  if (booked) {
    const { result, time } = booked;
    return (
      <div className="screen screen--narrow">
        <h1 className="screen__title">Book an appointment</h1>
        <BookingConfirmation
          appointment={result.appointment}
          recovered={result.recovered}
          names={{ Patient: patientName, Practitioner: time.practitioner.name, Location: time.location?.name }}
          actions={
            <>
              <CalendarFileLink
                appointment={result.appointment}
                practitionerName={time.practitioner.name}
                locationName={time.location?.name}
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
          <PractitionerChoice
            legend="Who would you like to see?"
            value={who}
            onChange={(value) => {
              setWho(value);
              freeTimes.clearDayAndTime();
            }}
          />
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
