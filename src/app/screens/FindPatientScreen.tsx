import { useQueryClient } from '@tanstack/react-query';
import { patientQueries } from '../../features/patients/api/patientQueries';
import { PatientSearch } from '../../features/patients/components/PatientSearch';
import { useFhirClient } from '../../lib/appContext';
import { usePageTitle } from '../usePageTitle';
import { PATHS, useUpdateAppState } from '../urlState';

export function FindPatientScreen() {
  const update = useUpdateAppState();
  const queryClient = useQueryClient();
  const client = useFhirClient();
  usePageTitle('Find a patient');
  return (
    <div className="screen screen--narrow">
      <h1 className="screen__title">Find a patient</h1>
      <PatientSearch
        focusOnOpen
        onChoose={(patient) => {
          // The search already returned the whole resource: the banner need not fetch it again.
          if (patient.id) queryClient.setQueryData(patientQueries.detail(client, patient.id).queryKey, patient);
          update({ patient: patient.id, slot: undefined }, { path: PATHS.book });
        }}
      />
    </div>
  );
}
