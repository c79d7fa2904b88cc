/**
 * Where each search parameter is defined, for the CapabilityStatement: ours (`channel`, over our
 * delivery-channel extension) under the canonical base, as a SearchParameter the server can serve;
 * FHIR's own where we implement one FHIR defines and a client might not assume (`service-type`).
 */
import type { SearchParameter } from 'fhir/r4';
import { DELIVERY_CHANNEL_URL, DELIVERY_CHANNELS, SEARCH_PARAMETER_BASE } from '../../domain/extensions';
import type { SearchableType } from '../storage/searchSpec';

export const CHANNEL_SEARCH_PARAMETER: SearchParameter = {
  resourceType: 'SearchParameter',
  id: 'channel',
  url: `${SEARCH_PARAMETER_BASE}/channel`,
  name: 'channel',
  status: 'active',
  publisher: 'nz-appointments',
  description: `How the patient and clinician meet: the code of the delivery-channel extension (${DELIVERY_CHANNELS.join(', ')}), with no system. A slot or appointment without the extension matches no code.`,
  code: 'channel',
  base: ['Slot', 'Appointment'],
  type: 'token',
  expression: `Slot.extension('${DELIVERY_CHANNEL_URL}').value | Appointment.extension('${DELIVERY_CHANNEL_URL}').value`,
  xpathUsage: 'normal',
};

/** Our own search parameters, for a server that serves its conformance resources. */
export const CUSTOM_SEARCH_PARAMETERS: readonly SearchParameter[] = [CHANNEL_SEARCH_PARAMETER];

const FHIR_DEFINED: Partial<Record<string, SearchableType[]>> = { 'service-type': ['Schedule', 'Slot', 'Appointment'] };

/** The canonical URL of the SearchParameter a type's parameter implements, where we name one. */
export function searchParameterDefinition(type: SearchableType, name: string): string | undefined {
  const custom = CUSTOM_SEARCH_PARAMETERS.find((parameter) => parameter.code === name && parameter.base.includes(type));
  if (custom) return custom.url;
  return FHIR_DEFINED[name]?.includes(type) ? `http://hl7.org/fhir/SearchParameter/${type}-${name}` : undefined;
}
