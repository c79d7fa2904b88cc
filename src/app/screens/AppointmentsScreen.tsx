import { Link } from 'wouter';
import { PatientAppointments } from '../../features/appointments/components/PatientAppointments';
import { RescheduleAppointmentDialog } from '../composed/RescheduleAppointment';
import { usePageTitle } from '../usePageTitle';
import { hrefFor, PATHS, useAppState } from '../urlState';
import { NeedPatient } from './NeedPatient';

export function AppointmentsScreen() {
  const state = useAppState();
  usePageTitle("The patient's appointments");
  if (!state.patient) return <NeedPatient title="The patient's appointments" />;
  return (
    <div className="screen screen--narrow">
      <div className="screen__header">
        <h1 className="screen__title">The patient&apos;s appointments</h1>
        <Link href={hrefFor(PATHS.book, state)} className="button button--primary">
          Book an appointment
        </Link>
      </div>
      <PatientAppointments
        patientId={state.patient}
        renderReschedule={(row, events) => (
          <RescheduleAppointmentDialog
            appointment={row.appointment}
            names={{ practitioner: row.practitionerName, location: row.locationName }}
            {...events}
          />
        )}
      />
    </div>
  );
}
