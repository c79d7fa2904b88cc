/**
 * Faults: the server is killed with SIGKILL while bookings and cancellations are in flight, then
 * started again on the same store. Whatever the client was told must still be true: every booking
 * answered 201 is there, a cancellation answered 200 stayed cancelled, nothing is stored twice and
 * every slot's status agrees with the booked appointments. Once on PGlite on disk, once on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appointment, Bundle, OperationOutcome, Patient, Resource, Schedule, Slot } from 'fhir/r4';
import { REPLACES_URL, RESCHEDULED_TO_URL } from '../../domain/extensions';
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
  const response = await fetch(`${server.origin}/fhir/${path}`, {
    ...init,
    headers: { ...server.headers, ...init?.headers },
  });
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
async function writeUntilKilled(
  server: ChildServer,
  targets: Target[],
  patients: string[],
  round: number,
  ledger: Ledger,
): Promise<number> {
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
        // A patient is never booked twice at once: a slot at a time the patient already has is refused, and promised nothing.
        if (booking.status === 409 && (booking.body as unknown as OperationOutcome).issue?.[0]?.code === 'duplicate')
          continue;
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

async function expectPromisesKept(
  server: ChildServer,
  targets: Target[],
  patients: string[],
  ledger: Ledger,
): Promise<void> {
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
    if (ledger.cancelled.has(description))
      expect(found?.status, `${description} was answered 200 to its cancel`).toBe('cancelled');
    else expect(found?.status).toMatch(/^(booked|cancelled)$/);
  }
  const bookedSlots = new Map<string, number>();
  for (const appointment of ours.filter((found) => found.status === 'booked')) {
    const slot = appointment.slot?.[0]?.reference as string;
    bookedSlots.set(slot, (bookedSlots.get(slot) ?? 0) + 1);
  }
  expect(
    [...bookedSlots.values()].every((count) => count === 1),
    'one booked appointment per slot',
  ).toBe(true);
  for (const { slot } of targets) {
    const { body } = await fhir<Slot>(server, `Slot/${slot.id}`);
    expect(body.status, `Slot/${slot.id} must be busy exactly when a booked appointment holds it`).toBe(
      bookedSlots.has(`Slot/${slot.id}`) ? 'busy' : 'free',
    );
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
    // And the store still takes bookings (at the first time the patient is not already booked).
    let after: { status: number; body: Appointment } = { status: 0, body: {} as Appointment };
    for (const { slot, practitioner } of targets.slice(used, used + 20)) {
      after = await fhir<Appointment>(server, 'Appointment', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Appointment',
          status: 'proposed',
          start: slot.start,
          slot: [{ reference: `Slot/${slot.id}` }],
          participant: [
            { actor: { reference: `Patient/${patients[0]}` }, status: 'accepted' },
            { actor: { reference: practitioner }, status: 'accepted' },
          ],
        }),
      });
      if (after.status !== 409) break;
    }
    expect(after.status, JSON.stringify(after.body)).toBe(201);
  } finally {
    await server.stop();
  }
}

/** Books one appointment per patient-time it can, for the reschedules to move. */
async function bookToMove(server: ChildServer, targets: Target[], patients: string[]): Promise<Appointment[]> {
  const booked: Appointment[] = [];
  for (const [index, { slot, practitioner }] of targets.entries()) {
    const { status, body } = await fhir<Appointment>(server, 'Appointment', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Appointment',
        status: 'proposed',
        description: `${MARK} to move ${index}`,
        start: slot.start,
        slot: [{ reference: `Slot/${slot.id}` }],
        participant: [
          { actor: { reference: `Patient/${patients[index % patients.length]}` }, status: 'accepted' },
          { actor: { reference: practitioner }, status: 'accepted' },
        ],
      }),
    });
    if (status === 201) booked.push(body);
  }
  return booked;
}

/** Moves each appointment to its own free slot from many workers until the server dies under them; returns the moves answered 200. */
async function rescheduleUntilKilled(
  server: ChildServer,
  moves: Array<{ old: Appointment; to: Target }>,
): Promise<Map<string, Appointment>> {
  const moved = new Map<string, Appointment>();
  let next = 0;
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (killing === undefined && next < moves.length) {
      const { old, to } = moves[next++];
      try {
        const { status, body } = await fhir<Appointment>(server, `Appointment/${old.id}/$reschedule`, {
          method: 'POST',
          body: JSON.stringify({
            resourceType: 'Parameters',
            parameter: [{ name: 'slot', valueReference: { reference: `Slot/${to.slot.id}` } }],
          }),
        });
        // The patient may already be booked at the new time: refused, and nothing moved.
        if (status === 409) continue;
        expect(status, JSON.stringify(body)).toBe(200);
        moved.set(old.id as string, body);
        if (moved.size === ACKS_BEFORE_KILL) killing = server.kill();
      } catch (error) {
        if (!(error instanceof TypeError && killing)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  expect(killing, 'the server was killed while reschedules were in flight').toBeDefined();
  await killing;
  return moved;
}

/** Each move either happened whole (old cancelled pointing at a booked new one that points back) or not at all (old still booked, no new one). */
async function expectEachMoveWholeOrNot(
  server: ChildServer,
  moves: Array<{ old: Appointment; to: Target }>,
  patients: string[],
  acknowledged: Map<string, Appointment>,
): Promise<void> {
  const all: Appointment[] = [];
  for (const patient of patients)
    all.push(...(await resources<Appointment>(server, `Appointment?patient=${patient}&_count=1000`)));
  let whole = 0;
  for (const { old } of moves) {
    const now = all.find((found) => found.id === old.id) as Appointment;
    const replacements = all.filter((found) =>
      found.extension?.some(
        (extension) =>
          extension.url === REPLACES_URL && extension.valueReference?.reference === `Appointment/${old.id}`,
      ),
    );
    if (now.status === 'booked') {
      expect(replacements, `Appointment/${old.id} is still booked, so nothing may replace it`).toHaveLength(0);
      expect(acknowledged.has(old.id as string), `Appointment/${old.id} was answered 200 to its move`).toBe(false);
    } else {
      whole += 1;
      expect(
        replacements,
        `Appointment/${old.id} was cancelled by its move, so exactly one booked appointment replaces it`,
      ).toHaveLength(1);
      expect(replacements[0].status).toBe('booked');
      const pointer = now.extension?.find((extension) => extension.url === RESCHEDULED_TO_URL)?.valueReference
        ?.reference;
      expect(pointer).toBe(`Appointment/${replacements[0].id}`);
      const answered = acknowledged.get(old.id as string);
      if (answered) expect(replacements[0].id).toBe(answered.id);
    }
  }
  expect(whole).toBeGreaterThanOrEqual(acknowledged.size);
}

async function crashWhileRescheduling(start: () => Promise<ChildServer>): Promise<void> {
  let server = await start();
  try {
    const targets = await freeTargets(server);
    const patients = (await resources<Patient>(server, 'Patient?_count=4')).map((patient) => patient.id as string);
    const olds = await bookToMove(server, targets.slice(0, 48), patients);
    expect(olds.length).toBeGreaterThan(ACKS_BEFORE_KILL + WORKERS);
    // Each to its own slot, far from where the bookings were.
    const moves = olds.map((old, index) => ({ old, to: targets[targets.length - 1 - index] }));
    const acknowledged = await rescheduleUntilKilled(server, moves);
    server = await start();
    await expectEachMoveWholeOrNot(server, moves, patients, acknowledged);
  } finally {
    await server.stop();
  }
}

describe('SIGKILL while reschedules are in flight', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(
    'PGlite on disk: each move is whole or not at all, never both bookings and never neither',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-crash-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      await crashWhileRescheduling(() => startChildServer({ dataDir }));
    },
  );

  const postgresUrl = inject('postgresUrl');
  it.skipIf(!postgresUrl)(
    'PostgreSQL: each move is whole or not at all, never both bookings and never neither',
    { timeout: 180_000 },
    async () => {
      const database = await createTestDatabase(postgresUrl as string);
      cleanups.push(() => database.drop());
      await crashWhileRescheduling(() => startChildServer({ databaseUrl: database.url }));
    },
  );
});

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
  it.skipIf(!postgresUrl)(
    'PostgreSQL keeps every acknowledged write and stays consistent',
    { timeout: 180_000 },
    async () => {
      const database = await createTestDatabase(postgresUrl as string);
      cleanups.push(() => database.drop());
      await crashAndRecover(() => startChildServer({ databaseUrl: database.url }));
    },
  );
});
