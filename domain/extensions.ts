/**
 * The canonical URLs of the extensions this project defines or uses, in one place for the server,
 * the app and the demo data. Our own live under one canonical base; the server publishes a
 * StructureDefinition for each at `[base]/StructureDefinition/{id}`.
 */

/** The canonical base of this project's own definitions (`.example` is reserved: nobody else's). */
export const CANONICAL_BASE = 'https://fhir.nz-appointments.example';

const ours = (id: string) => `${CANONICAL_BASE}/StructureDefinition/${id}`;

/** On a cancelled Appointment: the appointment it was rescheduled to (valueReference). */
export const RESCHEDULED_TO_URL = ours('rescheduled-to');
/** On Schedule (and a Slot, overriding its schedule): whether patients may book it online (valueBoolean). */
export const ONLINE_BOOKABLE_URL = ours('online-bookable');
/** On Slot and Appointment: how the patient is seen (valueCode in-person | telephone | video). */
export const DELIVERY_CHANNEL_URL = ours('delivery-channel');

/** R5's Appointment.replaces as an R4 cross-version extension: on the new appointment, the one it replaces. */
export const REPLACES_URL = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces';

export const DELIVERY_CHANNELS = ['in-person', 'telephone', 'video'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The ids of our own extensions (the last segment of their URLs), for the server's StructureDefinitions. */
export const OWN_EXTENSIONS = {
  'rescheduled-to': RESCHEDULED_TO_URL,
  'online-bookable': ONLINE_BOOKABLE_URL,
  'delivery-channel': DELIVERY_CHANNEL_URL,
} as const;

interface WithExtensions {
  extension?: Array<{ url: string; valueBoolean?: boolean; valueCode?: string }>;
}

/** The boolean an extension carries, undefined when absent or not a boolean. */
export function booleanExtension(element: WithExtensions | undefined, url: string): boolean | undefined {
  const found = Array.isArray(element?.extension) ? element.extension.find((extension) => extension?.url === url) : undefined;
  return typeof found?.valueBoolean === 'boolean' ? found.valueBoolean : undefined;
}
