/**
 * Our own FHIR extensions (domain.md, "The appointment's life after booking"), under one canonical
 * base so that a client, the server's StructureDefinitions and the CapabilityStatement all name them
 * the same way. The base is a reserved example domain (RFC 2606): it identifies, it is not fetched;
 * the server documents each definition itself.
 */
import type { Extension, OperationOutcomeIssue } from 'fhir/r4';
import { issue } from './operationOutcome';

export const CANONICAL_BASE = 'https://nz-appointments.example.org/fhir';
/** Extensions are StructureDefinitions, so their canonical URLs sit under this. */
export const EXTENSION_BASE = `${CANONICAL_BASE}/StructureDefinition`;
/** Our custom search parameters (e.g. `channel`) are SearchParameters under this. */
export const SEARCH_PARAMETER_BASE = `${CANONICAL_BASE}/SearchParameter`;

/** valueCode, on Slot and Appointment: how the patient and clinician meet. */
export const DELIVERY_CHANNEL_URL = `${EXTENSION_BASE}/delivery-channel`;
/** valueBoolean, on Schedule (a default for its slots) and Slot (overriding it). */
export const ONLINE_BOOKABLE_URL = `${EXTENSION_BASE}/online-bookable`;
/** valueReference, on a cancelled Appointment: the appointment that replaced it. */
export const RESCHEDULED_TO_URL = `${EXTENSION_BASE}/rescheduled-to`;

/** R5's Appointment.replaces as an R4 cross-version extension: on the new appointment, the one it replaces. */
export const REPLACES_URL = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces';

/** Our own extensions by id (the last segment of their URLs), for the server's StructureDefinitions. */
export const OWN_EXTENSIONS = {
  'rescheduled-to': RESCHEDULED_TO_URL,
  'online-bookable': ONLINE_BOOKABLE_URL,
  'delivery-channel': DELIVERY_CHANNEL_URL,
} as const;

export const DELIVERY_CHANNELS = ['in-person', 'telephone', 'video'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export const DELIVERY_CHANNEL_DISPLAY: Record<DeliveryChannel, string> = {
  'in-person': 'In person',
  telephone: 'Telephone',
  video: 'Video call',
};

/** Anything that may carry extensions; the readers take untrusted bodies too, so nothing is assumed. */
interface Extensible {
  extension?: Extension[];
}

export function isDeliveryChannel(value: unknown): value is DeliveryChannel {
  return typeof value === 'string' && (DELIVERY_CHANNELS as readonly string[]).includes(value);
}

function extensionsOf(resource: Extensible | undefined, url: string): Extension[] {
  const all: unknown = resource?.extension;
  if (!Array.isArray(all)) return [];
  return (all as unknown[]).filter(
    (found): found is Extension => typeof found === 'object' && found !== null && (found as Extension).url === url,
  );
}

/** The FHIRPath of an extension of ours on a resource, for an OperationOutcome's expression. */
export function extensionPath(resourceType: string, url: string): string {
  return `${resourceType}.extension('${url}')`;
}

/** The channel of a Slot or Appointment; undefined when it has none (or none we can read). */
export function deliveryChannelOf(resource: Extensible | undefined): DeliveryChannel | undefined {
  const code = extensionsOf(resource, DELIVERY_CHANNEL_URL)[0]?.valueCode;
  return isDeliveryChannel(code) ? code : undefined;
}

export function deliveryChannelExtension(channel: DeliveryChannel): Extension {
  return { url: DELIVERY_CHANNEL_URL, valueCode: channel };
}

/** The resource with exactly one delivery-channel extension, this one; other extensions kept in order. */
export function withDeliveryChannel<T extends Extensible>(resource: T, channel: DeliveryChannel): T {
  const others = (resource.extension ?? []).filter((found) => found.url !== DELIVERY_CHANNEL_URL);
  return { ...resource, extension: [...others, deliveryChannelExtension(channel)] };
}

/**
 * Problems with the delivery-channel extensions a client sent: at most one, with a valueCode from
 * DELIVERY_CHANNELS. None at all is fine (the channel is optional).
 */
export function deliveryChannelIssues(resource: Extensible, resourceType: string): OperationOutcomeIssue[] {
  const found = extensionsOf(resource, DELIVERY_CHANNEL_URL);
  const path = extensionPath(resourceType, DELIVERY_CHANNEL_URL);
  if (found.length > 1) return [issue('structure', 'Give at most one delivery channel.', path)];
  if (found.length === 1 && !isDeliveryChannel(found[0].valueCode)) {
    return [
      issue('code-invalid', `The delivery channel must be a valueCode, one of ${DELIVERY_CHANNELS.join(', ')}.`, path),
    ];
  }
  return [];
}

/** The online-bookable flag of a Schedule or Slot itself; undefined when it says nothing. */
export function onlineBookableOf(resource: Extensible | undefined): boolean | undefined {
  const value = extensionsOf(resource, ONLINE_BOOKABLE_URL)[0]?.valueBoolean;
  return typeof value === 'boolean' ? value : undefined;
}

export function onlineBookableExtension(bookable: boolean): Extension {
  return { url: ONLINE_BOOKABLE_URL, valueBoolean: bookable };
}

/**
 * Whether patients may book a slot online: the slot's own flag if it has one, else its schedule's,
 * else yes (domain.md: "Schedules bookable unless marked").
 */
export function isOnlineBookable(schedule: Extensible | undefined, slot?: Extensible): boolean {
  return onlineBookableFrom(onlineBookableOf(schedule), onlineBookableOf(slot));
}

/** The same decision from the two flags already read (a client that fetched schedules and slots apart). */
export function onlineBookableFrom(scheduleFlag: boolean | undefined, slotFlag: boolean | undefined): boolean {
  return slotFlag ?? scheduleFlag ?? true;
}
