/** The clinic's street address on one line, as the emails, their calendar files and the app's "Add to calendar" show it. */
import type { Location } from 'fhir/r4';

/** The address's text, else its lines, suburb, city and postcode. */
export function clinicAddress(location: Location | undefined): string | undefined {
  const address = location?.address;
  if (!address) return undefined;
  if (address.text) return address.text;
  const cityLine = [address.city, address.postalCode].filter(Boolean).join(' ');
  return [...(address.line ?? []), address.district, cityLine].filter(Boolean).join(', ') || undefined;
}
