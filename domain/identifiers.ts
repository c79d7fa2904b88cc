/** Identifier systems from the NZ Base IG. */
export const NHI_SYSTEM = 'https://standards.digital.health.nz/ns/nhi-id';
export const HPI_PERSON_SYSTEM = 'https://standards.digital.health.nz/ns/hpi-person-id';
export const MEDICAL_COUNCIL_SYSTEM = 'https://standards.digital.health.nz/ns/medical-council-id';
export const HPI_FACILITY_SYSTEM = 'https://standards.digital.health.nz/ns/hpi-facility-id';

/** The header Medtech's API expects on every request, naming the HPI facility. */
export const FACILITY_HEADER = 'mt-facilityid';
