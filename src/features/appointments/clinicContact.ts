/** The clinic as a patient needs it: what to phone and where to go, from its Location. */
import type { Location } from 'fhir/r4';

/** How to reach the clinic: its name and phone number, from its Location. */
export interface ClinicContact {
  name?: string;
  phone?: string;
}

export function clinicContact(location: Location | undefined, name?: string): ClinicContact {
  const phone = location?.telecom?.find((point) => point.system === 'phone' && point.value)?.value;
  return { name: location?.name ?? name, ...(phone ? { phone } : {}) };
}
