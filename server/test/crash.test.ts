/**
 * Faults: the server is killed with SIGKILL while bookings and cancellations are in flight, then
 * started again on the same store. Whatever the client was told must still be true: every booking
 * answered 201 is there, a cancellation answered 200 stayed cancelled, nothing is stored twice and
 * every slot's status agrees with the booked appointments. Once on PGlite on disk, once on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appointment, Bundle, Patient, Resource, Schedule, Slot } from 'fhir/r4';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startChildServer, type ChildServer } from './childServer';
import { createTestDatabase } from './databases';

const WORKERS = 8;
const ROUNDS = 2;
/** Killed once this many writes of the round have been answered, so the other workers are mid-request. */
const ACKS_BEFORE_KILL = 12;
const MARK = 'crash-test';

interface Target {
  slot: Slot;
  practitioner: string;
}

interface Ledger {
  /** description -> what the client was told */
  booked: Map<string, Appointment>;
  cancelled: Set<string>;
}

async function fhir<T>(server: ChildServer, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.origin}/fhir/${path}`, { ...init, headers: { ...server.headers, ...init?.headers } });
  return { status: response.status, body: (await response.json()) as T };
}

async function resources<T extends Resource>(server: ChildServer, query: string): Promise<T[]> {
  const { status, body } = await fhir<Bundle>(server, query);
  expect(status).toBe(200);
  return (body.entry ?? []).map((entry) => entry.resource as T);
}

/** Free slots at least an hour ahead, each with its practitioner. */
async function freeTargets(server: ChildServer): Promise<Target[]> {
  const found = await resources<Slot | Schedule>(server, 'Slot?status=free&_count=400&_include=Slot:schedule');
  const schedules = new Map(found.filter((r): r is Schedule => r.resourceType === 'Schedule').map((s) => [s.id, s]));
  const soon = Date.now() + 60 * 60_000;
  return found
    .filter((r): r is Slot => r.resourceType === 'Slot' && new Date(r.start).getTime() > soon)
    .map((slot) => {
      const schedule = schedules.get(slot.schedule.reference?.split('/')[1]);
      const practitioner = schedule?.actor.find((actor) => actor.reference?.startsWith('Practitioner/'))?.reference;
      return { slot, practitioner: practitioner as string };
    });
}

/** Books (and cancels every third booking) from many workers until the server dies under them. */
async function writeUntilKilled(server: ChildServer, targets: Target[], patients: string[], round: number, ledger: Ledger): Promise<number> {
  let next = 0;
  let acks = 0;
  let killing: Promise<void> | undefined;
  const acknowledged = () => {
    acks += 1;
    if (acks === ACKS_BEFORE_KILL) killing = server.kill();
  };
  const worker = async () => {
    while (killing === undefined && next < targets.length) {
      const index = next++;
      const { slot, practitioner } = targets[index];
      const description = `${MARK} ${round}-${index}`;
      try {
        const booking = await fhir<Appointment>(server, 'Appointment', {
          method: 'POST',
          body: JSON.stringify({
            resourceType: 'Appointment',
            status: 'proposed',
            description,
            start: slot.start,
            slot: [{ reference: `Slot/${slot.id}` }],
            participant: [
              { actor: { reference: `Patient/${patients[index % patients.length]}` }, status: 'accepted' },
              { actor: { reference: practitioner }, status: 'accepted' },
            ],
          }),
        });
        expect(booking.status, JSON.stringify(booking.body)).toBe(201);
        ledger.booked.set(description, booking.body);
        acknowledged();
        if (index % 3 !== 0 || killing) continue;
        const cancel = await fhir<Appointment>(server, `Appointment/${booking.body.id}`, {
          method: 'PUT',
          headers: { 'if-match': `W/"${booking.body.meta?.versionId}"` },
          body: JSON.stringify({ ...booking.body, status: 'cancelled' }),
        });
        expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
        ledger.cancelled.add(description);
        acknowledged();
      } catch (error) {
        // A request cut off by the kill has no answer, so the client was promised nothing.
        if (!(error instanceof TypeError && killing)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  expect(killing, 'the server was killed while writes were in flight').toBeDefined();
  await killing;
  return next;
}

async function expectPromisesKept(server: ChildServer, targets: Target[], patients: string[], ledger: Ledger): Promise<void> {
  const ours: Appointment[] = [];
  for (const patient of patients) {
    const found = await resources<Appointment>(server, `Appointment?patient=${patient}&_count=1000`);
    ours.push(...found.filter((appointment) => appointment.description?.startsWith(MARK)));
  }
  const descriptions = ours.map((appointment) => appointment.description as string);
  expect(new Set(descriptions).size, 'no booking is stored twice').toBe(descriptions.length);
  const stored = new Map(ours.map((appointment) => [appointment.description as string, appointment]));
  for (const [description, acknowledged] of ledger.booked) {
    const found = stored.get(description);
    expect(found?.id, `${description} was answered 201 and must survive the kill`).toBe(acknowledged.id);
    if (ledger.cancelled.has(description)) expect(found?.status, `${description} was answered 200 to its cancel`).toBe('cancelled');
    else expect(found?.status).toMatch(/^(booked|cancelled)$/);
  }
  const bookedSlots = new Map<string, number>();
  for (const appointment of ours.filter((found) => found.status === 'booked')) {
    const slot = appointment.slot?.[0]?.reference as string;
    bookedSlots.set(slot, (bookedSlots.get(slot) ?? 0) + 1);
  }
  expect([...bookedSlots.values()].every((count) => count === 1), 'one booked appointment per slot').toBe(true);
  for (const { slot } of targets) {
    const { body } = await fhir<Slot>(server, `Slot/${slot.id}`);
    expect(body.status, `Slot/${slot.id} must be busy exactly when a booked appointment holds it`).toBe(bookedSlots.has(`Slot/${slot.id}`) ? 'busy' : 'free');
  }
}

async function crashAndRecover(start: () => Promise<ChildServer>): Promise<void> {
  let server = await start();
  try {
    const targets = await freeTargets(server);
    const patients = (await resources<Patient>(server, 'Patient?_count=4')).map((patient) => patient.id as string);
    expect(targets.length).toBeGreaterThan(ROUNDS * 60);
    expect(patients).toHaveLength(4);
    const ledger: Ledger = { booked: new Map(), cancelled: new Set() };
    let used = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const batch = targets.slice(used, used + 60);
      used += await writeUntilKilled(server, batch, patients, round, ledger);
      server = await start();
      await expectPromisesKept(server, targets.slice(0, used), patients, ledger);
    }
    expect(ledger.booked.size).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    // And the store still takes bookings.
    const { slot, practitioner } = targets[used];
    const after = await fhir<Appointment>(server, 'Appointment', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Appointment',
        status: 'proposed',
        start: slot.start,
        slot: [{ reference: `Slot/${slot.id}` }],
        participant: [{ actor: { reference: `Patient/${patients[0]}` } , status: 'accepted' }, { actor: { reference: practitioner }, status: 'accepted' }],
      }),
    });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
  } finally {
    await server.stop();
  }
}

describe('SIGKILL while bookings are in flight', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('PGlite on disk keeps every acknowledged write and stays consistent', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await crashAndRecover(() => startChildServer({ dataDir }));
  });

  const postgresUrl = inject('postgresUrl');
  it.skipIf(!postgresUrl)('PostgreSQL keeps every acknowledged write and stays consistent', { timeout: 180_000 }, async () => {
    const database = await createTestDatabase(postgresUrl as string);
    cleanups.push(() => database.drop());
    await crashAndRecover(() => startChildServer({ databaseUrl: database.url }));
  });
});
