import { PatientSearch } from '../../features/patients/components/PatientSearch';
import { usePageTitle } from '../usePageTitle';
import { PATHS, useUpdateAppState } from '../urlState';

export function FindPatientScreen() {
  const update = useUpdateAppState();
  usePageTitle('Find a patient');
  return (
    <div className="screen screen--narrow">
      <h1 className="screen__title">Find a patient</h1>
      <PatientSearch onChoose={(patient) => update({ patient: patient.id, slot: undefined }, { path: PATHS.book })} />
    </div>
  );
}
