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

/** The clinic's street address on one line: the address's text, else its lines, suburb, city and postcode. */
export function clinicAddress(location: Location | undefined): string | undefined {
  const address = location?.address;
  if (!address) return undefined;
  if (address.text) return address.text;
  const cityLine = [address.city, address.postalCode].filter(Boolean).join(' ');
  return [...(address.line ?? []), address.district, cityLine].filter(Boolean).join(', ') || undefined;
}
