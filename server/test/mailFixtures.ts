/** A patient with an email address and a clinic with a street address and phone, for the email suites. */
import type { Location, Patient } from 'fhir/r4';
import { HPI_FACILITY_SYSTEM, NHI_SYSTEM } from '../../domain/identifiers';

export const PATIENT_EMAIL = 'aroha.mail@example.com';

export const mailPatient: Patient = {
  resourceType: 'Patient',
  id: 'pat-mail',
  identifier: [{ system: NHI_SYSTEM, value: 'ZAA0067' }],
  name: [{ use: 'official', family: 'Ngata', given: ['Aroha'] }],
  telecom: [
    { system: 'phone', use: 'mobile', value: '021 555 0199' },
    { system: 'email', use: 'home', value: PATIENT_EMAIL },
  ],
  birthDate: '1984-07-19',
};

export const mailLocation: Location = {
  resourceType: 'Location',
  id: 'loc-mail',
  identifier: [{ system: HPI_FACILITY_SYSTEM, value: 'FZZ997-K' }],
  name: 'Ponsonby Family Health',
  status: 'active',
  telecom: [{ system: 'phone', value: '09 555 0101' }],
  address: {
    use: 'work',
    type: 'physical',
    line: ['12 Ponsonby Road', 'Ponsonby'],
    city: 'Auckland',
    postalCode: '1011',
    country: 'NZ',
  },
};

export const MAIL_ADDRESS_LINE = '12 Ponsonby Road, Ponsonby, Auckland 1011';
