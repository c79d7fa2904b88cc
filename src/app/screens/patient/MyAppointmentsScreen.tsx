import { Link } from 'wouter';
import { clinicContact } from '../../../features/appointments/clinicContact';
import { PatientAppointments } from '../../../features/appointments/components/PatientAppointments';
import { RescheduleAppointmentDialog } from '../../composed/RescheduleAppointment';
import { usePageTitle } from '../../usePageTitle';
import { PATHS } from '../../urlState';

/**
 * A signed-in patient's own appointments: upcoming, past and cancelled; each upcoming one to add to
 * their calendar, and to reschedule or cancel until the practice's cut-off, then the clinic's number.
 */
export default function MyAppointmentsScreen({ patientId }: { patientId: string }) {
  usePageTitle('Your appointments');
  return (
    <div className="screen screen--narrow">
      <div className="screen__header">
        <h1 className="screen__title">Your appointments</h1>
        <Link href={PATHS.bookMine} className="button button--primary">
          Book an appointment
        </Link>
      </div>
      <PatientAppointments
        patientId={patientId}
        byPatient
        renderReschedule={(row, events) => (
          <RescheduleAppointmentDialog
            appointment={row.appointment}
            names={{ practitioner: row.practitionerName, location: row.locationName }}
            clinic={clinicContact(row.location, row.locationName)}
            onlineOnly
            {...events}
          />
        )}
      />
    </div>
  );
}
