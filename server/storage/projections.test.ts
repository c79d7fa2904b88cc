import type { Appointment, Schedule, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { DELIVERY_CHANNEL_URL, deliveryChannelExtension } from '../../domain/extensions';
import { projectionOf } from './projections';

const SERVICE_TYPE = 'http://terminology.hl7.org/CodeSystem/service-type';
const gp = {
  coding: [{ system: SERVICE_TYPE, code: '124', display: 'General Practice' }],
  text: 'General practice consultations',
};

describe('projectionOf: channel and service-type tokens', () => {
  it('gives a slot a channel token (no system) and a token per service-type coding', () => {
    const slot: Slot = {
      resourceType: 'Slot',
      id: 's',
      extension: [deliveryChannelExtension('video')],
      schedule: { reference: 'Schedule/x' },
      serviceType: [gp, { coding: [{ code: 'local' }] }],
      status: 'free',
      start: '2030-03-05T09:00:00+13:00',
      end: '2030-03-05T09:15:00+13:00',
    };
    expect(projectionOf(slot).tokens).toEqual([
      { param: 'channel', system: null, value: 'video' },
      { param: 'service-type', system: SERVICE_TYPE, value: '124' },
      { param: 'service-type', system: null, value: 'local' },
    ]);
  });

  it('gives an appointment the same, and a schedule its service types', () => {
    const appointment: Appointment = {
      resourceType: 'Appointment',
      status: 'booked',
      extension: [deliveryChannelExtension('telephone')],
      serviceType: [gp, gp],
      participant: [],
    };
    expect(projectionOf(appointment).tokens).toEqual([
      { param: 'channel', system: null, value: 'telephone' },
      { param: 'service-type', system: SERVICE_TYPE, value: '124' },
    ]);
    const schedule: Schedule = {
      resourceType: 'Schedule',
      id: 'x',
      serviceType: [gp],
      actor: [{ reference: 'Practitioner/p' }],
    };
    expect(projectionOf(schedule).tokens).toEqual([{ param: 'service-type', system: SERVICE_TYPE, value: '124' }]);
  });

  it('has no tokens for what is missing or unreadable: no extension, an unknown channel, a coding without a code', () => {
    const slot = {
      resourceType: 'Slot',
      extension: [{ url: DELIVERY_CHANNEL_URL, valueCode: 'fax' }],
      serviceType: [{ text: 'Anything' }, { coding: [{ system: SERVICE_TYPE }] }],
      schedule: { reference: 'Schedule/x' },
      status: 'free',
      start: 'a',
      end: 'b',
    } as Slot;
    expect(projectionOf(slot).tokens).toEqual([]);
    expect(
      projectionOf({ resourceType: 'Appointment', status: 'booked', participant: [] } as Appointment).tokens,
    ).toEqual([]);
  });
});
