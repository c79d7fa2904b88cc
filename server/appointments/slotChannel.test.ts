import type { Appointment, CodeableConcept, Slot } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_CHANNEL_URL, deliveryChannelExtension, deliveryChannelOf } from '../../domain/extensions';
import { FhirError } from '../core/fhirError';
import type { SqlFhirStore } from '../storage/sqlFhirStore';
import { openClinicStore, resetClinic } from '../test/clinicStore';
import { NOW, proposal } from '../test/fixtures';
import { bookAppointment } from './booking';
import { withSlotChannelAndService } from './slotChannel';

const GP: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }],
};
const NURSING: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '59', display: 'Nursing' }],
};
const CHANNEL_PATH = `Appointment.extension('${DELIVERY_CHANNEL_URL}')`;

/** A telephone slot of prac-1 at 12:00, after the fixtures' morning. */
const telephoneSlot: Slot = {
  resourceType: 'Slot',
  id: 'slot-prac-1-phone-1200',
  extension: [deliveryChannelExtension('telephone')],
  schedule: { reference: 'Schedule/sched-prac-1' },
  serviceType: [GP],
  status: 'free',
  start: '2030-03-05T12:00:00+13:00',
  end: '2030-03-05T12:15:00+13:00',
};

function refusedWith(run: () => unknown): FhirError {
  try {
    run();
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error('expected a FhirError');
}

describe('withSlotChannelAndService', () => {
  const bare: Pick<Appointment, 'extension' | 'serviceType'> = {};

  it("takes the slot's channel and service type when the proposal has neither", () => {
    const taken = withSlotChannelAndService(bare, telephoneSlot);
    expect(deliveryChannelOf(taken)).toBe('telephone');
    expect(taken.serviceType).toEqual([GP]);
  });

  it("keeps the proposal's own service type and a channel that agrees; leaves a slot without either alone", () => {
    const own = { extension: [deliveryChannelExtension('telephone')], serviceType: [NURSING] };
    expect(withSlotChannelAndService(own, telephoneSlot)).toEqual(own);
    expect(withSlotChannelAndService(bare, { ...telephoneSlot, extension: undefined, serviceType: undefined })).toEqual(
      bare,
    );
    expect(withSlotChannelAndService({ serviceType: [] }, telephoneSlot).serviceType).toEqual([GP]);
  });

  it("refuses a channel other than the slot's, or one that is not a channel, with 422 on the extension", () => {
    const other = refusedWith(() =>
      withSlotChannelAndService({ extension: [deliveryChannelExtension('in-person')] }, telephoneSlot),
    );
    expect(other.status).toBe(422);
    expect(other.issues[0]).toMatchObject({ code: 'business-rule', expression: [CHANNEL_PATH] });
    expect(other.issues[0].diagnostics).toMatch(/by telephone, not in person/);
    const unknown = refusedWith(() =>
      withSlotChannelAndService({ extension: [{ url: DELIVERY_CHANNEL_URL, valueCode: 'fax' }] }, undefined),
    );
    expect(unknown.issues[0]).toMatchObject({ code: 'code-invalid', expression: [CHANNEL_PATH] });
  });
});

describe('a booking', () => {
  let store: SqlFhirStore;
  beforeAll(async () => {
    store = await openClinicStore();
  });
  beforeEach(async () => {
    await resetClinic(store);
    await store.bulkLoad([telephoneSlot], NOW);
  });
  afterAll(async () => {
    await store.close();
  });

  const onTelephoneSlot = (extension?: Appointment['extension']) => ({
    ...proposal({ time: '12:00', withSlot: false }),
    slot: [{ reference: `Slot/${telephoneSlot.id}` }],
    ...(extension ? { extension } : {}),
  });

  it("stores the slot's channel and service type on the appointment", async () => {
    const booked = await bookAppointment(store, onTelephoneSlot(), NOW);
    expect(deliveryChannelOf(booked)).toBe('telephone');
    expect(booked.serviceType).toEqual([GP]);
    expect(await store.read('Appointment', booked.id as string)).toEqual(booked);
  });

  it('with another channel is refused (422) and changes nothing: no appointment, the slot still free', async () => {
    const error = await bookAppointment(store, onTelephoneSlot([deliveryChannelExtension('video')]), NOW).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).status).toBe(422);
    expect((error as FhirError).issues[0].expression).toEqual([CHANNEL_PATH]);
    expect(await store.count('Appointment')).toBe(0);
    expect((await store.read<Slot>('Slot', telephoneSlot.id as string))?.status).toBe('free');
  });

  it('without a slot keeps what the proposal says, and no channel when it says none', async () => {
    const booked = await bookAppointment(
      store,
      { ...proposal({ time: '10:00', withSlot: false }), extension: [deliveryChannelExtension('video')] },
      NOW,
    );
    expect(deliveryChannelOf(booked)).toBe('video');
    const plain = await bookAppointment(store, proposal({ time: '11:00', patient: 'pat-b', withSlot: false }), NOW);
    expect(plain.extension).toBeUndefined();
    expect(plain.serviceType).toBeUndefined();
  });
});
