/**
 * The emails an appointment write queues, in the write's own transaction: what lands in the outbox
 * for a booking, a reschedule and a cancellation, and that nothing lands when the write is refused
 * or rolled back.
 */
import type { Appointment } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queueBookingMessages } from '../mail/appointmentMessages';
import { DEFAULT_MESSAGE_SETTINGS } from '../mail/messageSettings';
import { SqlOutbox, type OutboxMessage } from '../storage/outbox';
import { defineStoreOperation } from '../storage/storeOperation';
import type { SqlFhirStore } from '../storage/sqlFhirStore';
import { openClinicStoreWithSql, resetClinic } from '../test/clinicStore';
import { NOW, proposal, slotId } from '../test/fixtures';
import { mailLocation, mailPatient, PATIENT_EMAIL } from '../test/mailFixtures';
import { bookAppointment, bookWithin } from './booking';
import { cancelWithReason } from './cancelling';
import { rescheduleAppointment } from './rescheduling';
import { contextOf } from './writeContext';

let store: SqlFhirStore;
let outbox: SqlOutbox;
beforeAll(async () => {
  const opened = await openClinicStoreWithSql();
  store = opened.store;
  outbox = new SqlOutbox(opened.sql);
});
beforeEach(async () => {
  await resetClinic(store);
  await store.bulkLoad([mailPatient, mailLocation], NOW);
});
afterAll(async () => {
  await store.close();
});

const messages = async (): Promise<OutboxMessage[]> =>
  (await outbox.search({ count: 100, offset: 0 })).messages.sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.kind.localeCompare(b.kind),
  );
const mailProposal = (time = '09:00') => proposal({ patient: 'pat-mail', location: 'loc-mail', time });
const cancelParameters = {
  resourceType: 'Parameters',
  parameter: [
    {
      name: 'reason',
      valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'pat' },
    },
  ],
};

describe('the emails an appointment write queues', () => {
  it('queues the confirmation now and a reminder 24 hours before the start, to Patient.telecom email', async () => {
    const booked = await bookAppointment(store, mailProposal(), NOW);
    const [confirmation, reminder, ...more] = await messages();
    expect(more).toEqual([]);
    expect(confirmation).toMatchObject({
      kind: 'booked',
      status: 'pending',
      recipient: PATIENT_EMAIL,
      appointmentId: booked.id,
      patientId: 'pat-mail',
      notBefore: NOW.toISOString(),
    });
    expect(confirmation.subject).toBe('Appointment confirmed: Tue 5 Mar, 9:00 am NZDT at Ponsonby Family Health');
    expect(confirmation.text).toContain('Where: Ponsonby Family Health, 12 Ponsonby Road, Ponsonby, Auckland 1011');
    expect(confirmation.calendar).toMatchObject({
      method: 'REQUEST',
      sequence: 0,
      uid: `appointment-${booked.id}@nz-appointments.example.org`,
      start: new Date(booked.start as string).toISOString(),
    });
    expect(reminder).toMatchObject({
      kind: 'reminder',
      status: 'pending',
      notBefore: new Date(new Date(booked.start as string).getTime() - 24 * 3_600_000).toISOString(),
    });
  });

  it('queues no reminder for an appointment booked inside the reminder window: the confirmation is the reminder', async () => {
    await bookAppointment(store, mailProposal(), NOW, {
      messages: { ...DEFAULT_MESSAGE_SETTINGS, reminderHoursBefore: 48 },
    });
    expect((await messages()).map((message) => message.kind)).toEqual(['booked']);
  });

  it('records "no email address" for a patient without one, and queues nothing to send', async () => {
    await bookAppointment(store, proposal({ patient: 'pat-a' }), NOW);
    const [record, ...more] = await messages();
    expect(more).toEqual([]);
    expect(record).toMatchObject({ kind: 'booked', status: 'no-address', recipient: null });
    expect(record.statusReason).toMatch(/no email address/);
    expect(
      await outbox.claim(
        new Date(NOW.getTime() + 86_400_000 * 30),
        new Date(NOW.getTime() + 86_400_000 * 31),
        'token',
        'example.org',
      ),
    ).toBeUndefined();
  });

  it('queues nothing for a refused booking, and nothing survives a write rolled back after queueing', async () => {
    await bookAppointment(store, mailProposal(), NOW);
    const before = await messages();
    await expect(bookAppointment(store, mailProposal(), NOW)).rejects.toMatchObject({ status: 409 });
    expect(await messages()).toEqual(before);

    const failsAfterQueueing = defineStoreOperation(
      import.meta.url,
      'failsAfterQueueing',
      async (tx, input: { proposal: Appointment }) => {
        const booked = await bookWithin(tx, input.proposal, contextOf({ now: NOW }));
        await queueBookingMessages(tx, booked, DEFAULT_MESSAGE_SETTINGS, NOW);
        throw new Error('something after the outbox write failed');
      },
    );
    await expect(store.run(failsAfterQueueing, { proposal: mailProposal('10:00') as Appointment })).rejects.toThrow(
      /after the outbox/,
    );
    expect(await messages()).toEqual(before);
  });

  it('moves the event on a reschedule (same UID, SEQUENCE 1, the old reminder withdrawn) and cancels it with METHOD:CANCEL (SEQUENCE 2)', async () => {
    const booked = await bookAppointment(store, mailProposal(), NOW);
    const toSlot = {
      resourceType: 'Parameters',
      parameter: [{ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-1', '10:30')}` } }],
    };
    const { booked: moved } = await rescheduleAppointment(store, booked.id as string, toSlot, undefined, NOW);
    await cancelWithReason(store, moved.id as string, cancelParameters, undefined, NOW);
    const all = await messages();
    const uid = `appointment-${booked.id}@nz-appointments.example.org`;
    const of = (kind: string, appointment: Appointment) =>
      all.filter((message) => message.kind === kind && message.appointmentId === appointment.id);
    expect(of('booked', booked)[0].calendar).toMatchObject({ uid, sequence: 0, method: 'REQUEST' });
    expect(of('reminder', booked)[0]).toMatchObject({
      status: 'withdrawn',
      statusReason: 'The appointment was moved to another time.',
    });
    const [rescheduled] = of('rescheduled', moved);
    expect(rescheduled.calendar).toMatchObject({ uid, sequence: 1, method: 'REQUEST' });
    expect(rescheduled.text).toContain('Was: Tuesday 5 March 2030, 9:00 am NZDT');
    expect(rescheduled.text).toContain('When: Tuesday 5 March 2030, 10:30 am NZDT');
    expect(of('reminder', moved)[0]).toMatchObject({
      status: 'withdrawn',
      statusReason: 'The appointment was cancelled.',
    });
    expect(of('cancelled', moved)[0].calendar).toMatchObject({ uid, sequence: 2, method: 'CANCEL' });
    expect(all).toHaveLength(5);
  });
});
