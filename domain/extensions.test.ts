import type { Appointment, Schedule, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_CHANNEL_URL,
  EXTENSION_BASE,
  ONLINE_BOOKABLE_URL,
  RESCHEDULED_TO_URL,
  deliveryChannelIssues,
  deliveryChannelOf,
  isOnlineBookable,
  onlineBookableExtension,
  onlineBookableOf,
  withDeliveryChannel,
} from './extensions';

const slot = (extension?: Slot['extension']): Slot => ({
  resourceType: 'Slot',
  schedule: { reference: 'Schedule/s' },
  status: 'free',
  start: '2030-03-05T09:00:00+13:00',
  end: '2030-03-05T09:15:00+13:00',
  extension,
});
const schedule = (extension?: Schedule['extension']): Schedule => ({
  resourceType: 'Schedule',
  actor: [{ reference: 'Practitioner/p' }],
  extension,
});

describe('extension URLs', () => {
  it('all sit under the one canonical base, as StructureDefinitions', () => {
    for (const url of [DELIVERY_CHANNEL_URL, ONLINE_BOOKABLE_URL, RESCHEDULED_TO_URL]) {
      expect(url.startsWith(`${EXTENSION_BASE}/`)).toBe(true);
      expect(url).toMatch(/^https:\/\/[a-z.-]+\.example\.org\/fhir\/StructureDefinition\/[a-z-]+$/);
    }
  });
});

describe('delivery channel', () => {
  it('reads the channel, and nothing from an unknown code, another URL, or a body without extensions', () => {
    expect(deliveryChannelOf(slot([{ url: DELIVERY_CHANNEL_URL, valueCode: 'video' }]))).toBe('video');
    expect(deliveryChannelOf(slot([{ url: DELIVERY_CHANNEL_URL, valueCode: 'carrier-pigeon' }]))).toBeUndefined();
    expect(deliveryChannelOf(slot([{ url: 'http://example.org/other', valueCode: 'video' }]))).toBeUndefined();
    expect(deliveryChannelOf(slot())).toBeUndefined();
    expect(deliveryChannelOf(undefined)).toBeUndefined();
    expect(deliveryChannelOf({ extension: 'not a list' } as unknown as Slot)).toBeUndefined();
  });

  it('writes exactly one channel, keeping other extensions', () => {
    const other = { url: 'http://example.org/other', valueString: 'kept' };
    const appointment: Appointment = {
      resourceType: 'Appointment',
      status: 'proposed',
      participant: [],
      extension: [other, { url: DELIVERY_CHANNEL_URL, valueCode: 'video' }],
    };
    const written = withDeliveryChannel(appointment, 'telephone');
    expect(written.extension).toEqual([other, { url: DELIVERY_CHANNEL_URL, valueCode: 'telephone' }]);
    expect(deliveryChannelOf(written)).toBe('telephone');
    expect(appointment.extension).toHaveLength(2);
  });

  it('finds fault with two channels or a code outside the three, naming the extension', () => {
    const path = `Appointment.extension('${DELIVERY_CHANNEL_URL}')`;
    expect(
      deliveryChannelIssues({ extension: [{ url: DELIVERY_CHANNEL_URL, valueCode: 'in-person' }] }, 'Appointment'),
    ).toEqual([]);
    expect(deliveryChannelIssues({}, 'Appointment')).toEqual([]);
    const [unknown] = deliveryChannelIssues(
      { extension: [{ url: DELIVERY_CHANNEL_URL, valueString: 'video' }] },
      'Appointment',
    );
    expect(unknown).toMatchObject({ code: 'code-invalid', expression: [path] });
    const [twice] = deliveryChannelIssues(
      {
        extension: [
          { url: DELIVERY_CHANNEL_URL, valueCode: 'video' },
          { url: DELIVERY_CHANNEL_URL, valueCode: 'video' },
        ],
      },
      'Appointment',
    );
    expect(twice).toMatchObject({ code: 'structure', expression: [path] });
  });
});

describe('online bookable', () => {
  const yes = onlineBookableExtension(true);
  const no = onlineBookableExtension(false);

  it('is yes unless marked, the schedule sets the default and a slot overrides it either way', () => {
    expect(isOnlineBookable(schedule())).toBe(true);
    expect(isOnlineBookable(schedule(), slot())).toBe(true);
    expect(isOnlineBookable(schedule([no]))).toBe(false);
    expect(isOnlineBookable(schedule([no]), slot())).toBe(false);
    expect(isOnlineBookable(schedule([no]), slot([yes]))).toBe(true);
    expect(isOnlineBookable(schedule([yes]), slot([no]))).toBe(false);
    expect(isOnlineBookable(undefined, slot([no]))).toBe(false);
  });

  it('ignores a flag that is not a boolean', () => {
    expect(onlineBookableOf(schedule([{ url: ONLINE_BOOKABLE_URL, valueString: 'false' }]))).toBeUndefined();
    expect(isOnlineBookable(schedule([{ url: ONLINE_BOOKABLE_URL, valueString: 'false' }]))).toBe(true);
  });
});
