/**
 * A booking takes the slot's delivery channel and service type (domain.md: the channel is on Slot
 * and Appointment), so the appointment says how and for what the patient is seen without a client
 * having to copy them. What the proposal already says is kept: its service type may be narrower
 * than the slot's, so it is not checked; its channel must be the slot's, since a telephone slot
 * booked as a visit would put a patient in a waiting room the clinician never comes to.
 */
import type { Appointment, Slot } from 'fhir/r4';
import {
  deliveryChannelIssues,
  deliveryChannelOf,
  extensionPath,
  withDeliveryChannel,
  DELIVERY_CHANNEL_URL,
  type DeliveryChannel,
} from '../../domain/extensions';
import { FhirError } from '../core/fhirError';

const HELD: Record<DeliveryChannel, string> = {
  'in-person': 'in person',
  telephone: 'by telephone',
  video: 'by video call',
};

type Inheriting = Pick<Appointment, 'extension' | 'serviceType'>;

/** The proposal with the slot's channel and service type where it has none; 422 if its channel is another. */
export function withSlotChannelAndService<T extends Inheriting>(proposal: T, slot: Slot | undefined): T {
  const problems = deliveryChannelIssues(proposal, 'Appointment');
  if (problems.length > 0) throw new FhirError(422, problems);
  if (!slot) return proposal;
  const slotChannel = deliveryChannelOf(slot);
  const proposed = deliveryChannelOf(proposal);
  if (slotChannel && proposed && proposed !== slotChannel) {
    throw FhirError.of(
      422,
      'business-rule',
      `That slot is for an appointment ${HELD[slotChannel]}, not ${HELD[proposed]}: choose another slot, or leave the channel out to take the slot's.`,
      extensionPath('Appointment', DELIVERY_CHANNEL_URL),
    );
  }
  const withChannel = slotChannel && !proposed ? withDeliveryChannel(proposal, slotChannel) : proposal;
  const hasServiceType = Array.isArray(proposal.serviceType) && proposal.serviceType.length > 0;
  return hasServiceType || !slot.serviceType ? withChannel : { ...withChannel, serviceType: slot.serviceType };
}
