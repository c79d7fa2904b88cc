import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Banner } from '../../../components/Banner';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { clinicDate } from '../../../../domain/clinicTime';
import { formatBirthDate, formatGender, humanName } from '../../../lib/format';
import { patientNhi, patientQueries } from '../api/patientQueries';

/** Who the receptionist is helping, kept in view on every screen. */
export function PatientBanner({ patientId, actions }: { patientId: string; actions?: ReactNode }) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const query = useQuery(patientQueries.detail(client, patientId));
  if (query.isPending) {
    return (
      <section className="banner" aria-label="Patient">
        <div className="banner__inner">
          <Loading label="Loading the patient…" />
        </div>
      </section>
    );
  }
  if (query.isError) {
    return (
      <section className="banner" aria-label="Patient">
        <div className="banner__inner">
          <LoadError error={query.error} onRetry={() => void query.refetch()} />
          {actions}
        </div>
      </section>
    );
  }
  const patient = query.data;
  return (
    <Banner
      label="Patient"
      title={humanName(patient.name)}
      facts={[
        { label: 'NHI', value: patientNhi(patient) ?? 'Not recorded' },
        { label: 'Born', value: formatBirthDate(patient.birthDate, clinicDate(new Date(), timeZone)) },
        { label: 'Gender', value: formatGender(patient.gender) },
      ]}
      actions={actions}
    />
  );
}
