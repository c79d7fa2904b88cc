import type { Appointment, Provenance } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPLACES_URL, RESCHEDULED_TO_URL } from '../../domain/extensions';
import { FhirError } from '../core/fhirError';
import { STAFF_ACCOUNT_SYSTEM, type Requester } from '../core/requester';
import type { SqlFhirStore } from '../storage/sqlFhirStore';
import { openClinicStore, resetClinic } from '../test/clinicStore';
import { NOW, proposal, slotId } from '../test/fixtures';
import { bookAppointment } from './booking';
import { rescheduleAppointment } from './rescheduling';

const RECEPTION: Requester = { kind: 'staff', id: 'reception', display: 'Reception (demo)' };
const toSlot = (practitioner: string, time: string) => ({
  resourceType: 'Parameters',
  parameter: [{ name: 'slot', valueReference: { reference: `Slot/${slotId(practitioner, time)}` } }],
});

let store: SqlFhirStore;
beforeAll(async () => {
  store = await openClinicStore();
});
beforeEach(async () => {
  await resetClinic(store);
});
afterAll(async () => {
  await store.close();
});

async function provenance(): Promise<Provenance[]> {
  return (
    await store.search({
      resourceType: 'Provenance',
      criteria: [],
      count: 100,
      offset: 0,
      descending: false,
      include: [],
    })
  ).matches as Provenance[];
}

describe('rescheduleAppointment', () => {
  it('books the new and cancels the old in one transaction, with one Provenance naming who did it', async () => {
    const old = await bookAppointment(store, proposal({ time: '09:00' }), NOW, { requester: RECEPTION });
    const { cancelled, booked } = await rescheduleAppointment(
      store,
      old.id as string,
      toSlot('prac-2', '09:30'),
      'W/"1"',
      NOW,
      { requester: RECEPTION },
    );
    expect(cancelled.extension).toEqual([
      { url: RESCHEDULED_TO_URL, valueReference: { reference: `Appointment/${booked.id}` } },
    ]);
    expect(booked.extension).toEqual([{ url: REPLACES_URL, valueReference: { reference: `Appointment/${old.id}` } }]);
    const records = await provenance();
    expect(records.map((found) => found.activity?.text).sort()).toEqual(['booked', 'rescheduled']);
    expect(records.find((found) => found.activity?.text === 'rescheduled')?.agent[0].who).toEqual({
      identifier: { system: STAFF_ACCOUNT_SYSTEM, value: 'reception' },
      display: 'Reception (demo)',
    });
  });

  it('rolls back whole when the new time is taken: the old still booked, no Provenance for the attempt', async () => {
    const old = await bookAppointment(store, proposal({ time: '09:00' }), NOW);
    await bookAppointment(
      store,
      proposal({ time: '09:30', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }),
      NOW,
    );
    const error = await rescheduleAppointment(store, old.id as string, toSlot('prac-2', '09:30'), undefined, NOW).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).status).toBe(409);
    expect((await store.read<Appointment>('Appointment', old.id as string))?.meta?.versionId).toBe('1');
    expect(await provenance()).toHaveLength(2);
  });
});
