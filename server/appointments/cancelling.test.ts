import type { Appointment, Slot } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FhirError } from '../core/fhirError';
import type { SqlFhirStore } from '../storage/sqlFhirStore';
import { openClinicStore, resetClinic } from '../test/clinicStore';
import { NOW, proposal, slotId } from '../test/fixtures';
import { bookAppointment } from './booking';
import { cancelAppointment } from './cancelling';

let store: SqlFhirStore;
let booked: Appointment;
beforeAll(async () => {
  store = await openClinicStore();
});
beforeEach(async () => {
  await resetClinic(store);
  booked = await bookAppointment(store, proposal({ time: '09:00' }), NOW);
});
afterAll(async () => {
  await store.close();
});

const cancel = (body: Appointment, ifMatch?: string) =>
  cancelAppointment(store, booked.id as string, body, ifMatch, NOW);

async function refusal(body: unknown, ifMatch?: string, id = booked.id as string): Promise<FhirError> {
  const error = await cancelAppointment(store, id, body, ifMatch, NOW).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FhirError)) throw new Error(`expected a FhirError, got ${String(error)}`);
  return error;
}

const slotStatus = async () => (await store.read<Slot>('Slot', slotId('prac-1', '09:00')))?.status;

describe('cancelAppointment', () => {
  it('stores the appointment as cancelled in a new version and frees the slot', async () => {
    const cancelled = await cancel({ ...booked, status: 'cancelled' }, 'W/"1"');
    expect(cancelled).toMatchObject({ status: 'cancelled', meta: { versionId: '2' } });
    expect(await slotStatus()).toBe('free');
    expect(await store.vread<Appointment>('Appointment', booked.id as string, '1')).toMatchObject({ status: 'booked' });
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const error = await refusal({ ...booked, status: 'cancelled' }, 'W/"7"');
    expect(error.status).toBe(412);
    expect((await store.read<Appointment>('Appointment', booked.id as string))?.status).toBe('booked');
    expect(await slotStatus()).toBe('busy');
  });

  it('refuses any change but the status, and any status but cancelled, with 422 on the field', async () => {
    const moved = await refusal({ ...booked, status: 'cancelled', start: '2030-03-05T09:15:00+13:00' });
    expect(moved.status).toBe(422);
    expect(moved.issues[0].expression).toEqual(['Appointment.start']);
    expect((await refusal({ ...booked, status: 'arrived' })).status).toBe(422);
    expect(await slotStatus()).toBe('busy');
  });

  it('ignores meta and text, as the page says', async () => {
    const cancelled = await cancel({
      ...booked,
      status: 'cancelled',
      meta: { versionId: '1', tag: [{ code: 'x' }] },
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
    });
    expect(cancelled.status).toBe('cancelled');
  });

  it('never creates: an unknown id is 404, and an id differing from the URL 400', async () => {
    expect((await refusal({ ...booked, id: 'nope', status: 'cancelled' }, undefined, 'nope')).status).toBe(404);
    expect((await refusal({ ...booked, status: 'cancelled' }, undefined, 'other')).status).toBe(400);
    expect(await store.count('Appointment')).toBe(1);
  });
});
