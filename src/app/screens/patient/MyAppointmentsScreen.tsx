import { Link } from 'wouter';
import { PatientAppointments } from '../../../features/appointments/components/PatientAppointments';
import { usePageTitle } from '../../usePageTitle';
import { PATHS } from '../../urlState';

/** A signed-in patient's own appointments: the same list and cancelling as at the desk. */
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
      <PatientAppointments patientId={patientId} byPatient />
    </div>
  );
}
