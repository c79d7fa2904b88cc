/**
 * The embedded database's statement timeout, against the real `npm start` process on PGlite on disk.
 * PGlite cannot stop a statement, so a runaway one is made here by slowStatementHook.mjs (loaded with
 * --import: a request carrying its marker holds the database's worker thread for a minute). The
 * request answers 503 with Retry-After, as PostgreSQL's statement_timeout does, never 500; so does
 * what was waiting behind it; the process stays up, the next requests are answered by a fresh
 * worker on the same data, and what was acknowledged before is still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Appointment, Bundle, OperationOutcome, Patient, Schedule, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from './childServer';

const TIMEOUT_MS = 1_500;
const MARKER = 'slowstatementmarker';
const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-timeout-'));
let server: ChildServer;

beforeAll(async () => {
  server = await startChildServer({
    dataDir,
    env: { STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) },
    nodeArgs: ['--import', fileURLToPath(new URL('./slowStatementHook.mjs', import.meta.url))],
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fhir<T>(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T; headers: Headers; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${server.origin}/fhir/${path}`, {
    ...init,
    headers: { ...server.headers, ...init?.headers },
  });
  return {
    status: response.status,
    body: (await response.json()) as T,
    headers: response.headers,
    ms: performance.now() - started,
  };
}

async function book(slot: Slot, practitioner: string, patient: string): Promise<Appointment> {
  const { status, body } = await fhir<Appointment>('Appointment', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Appointment',
      status: 'proposed',
      start: slot.start,
      slot: [{ reference: `Slot/${slot.id}` }],
      participant: [
        { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
        { actor: { reference: practitioner }, status: 'accepted' },
      ],
    }),
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

function expectTimedOut(answer: { status: number; body: unknown; headers: Headers }): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  expect((answer.body as OperationOutcome).issue[0]).toMatchObject({
    code: 'too-costly',
    diagnostics: expect.stringMatching(/took the database too long/),
  });
}

describe('the statement timeout on PGlite, on the real server', () => {
  it('answers a statement that will not end with 503, restarts the database under the server and keeps what was acknowledged', async () => {
    // Two free slots of one schedule, far enough ahead to book at any time of day.
    const from = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    const found = await fhir<Bundle>(`Slot?status=free&start=ge${from}&_sort=start&_count=100&_include=Slot:schedule`);
    const resources = (found.body.entry ?? []).map((entry) => entry.resource as Slot | Schedule);
    const slots = resources.filter((resource): resource is Slot => resource.resourceType === 'Slot');
    const sameSchedule = slots.filter((slot) => slot.schedule.reference === slots[0].schedule.reference);
    expect(sameSchedule.length, 'two free slots of one schedule').toBeGreaterThanOrEqual(2);
    const schedule = resources.find(
      (resource): resource is Schedule =>
        resource.resourceType === 'Schedule' && resource.id === slots[0].schedule.reference?.split('/')[1],
    );
    const practitioner = schedule?.actor.find((actor) => actor.reference?.startsWith('Practitioner/'))
      ?.reference as string;
    const patients = ((await fhir<Bundle>('Patient?_count=2')).body.entry ?? []).map(
      (entry) => (entry.resource as Patient).id as string,
    );
    const before = await book(sameSchedule[0], practitioner, patients[0]);

    const slow = fhir<OperationOutcome>(`Patient?name=${MARKER}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const behind = fhir<OperationOutcome>('Appointment?_count=5');
    const [stopped, waitedBehind] = await Promise.all([slow, behind]);
    expectTimedOut(stopped);
    expect(stopped.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(stopped.ms).toBeLessThan(TIMEOUT_MS + 10_000);
    expectTimedOut(waitedBehind);

    // Asked while the new worker opens: it waits for it rather than failing.
    const kept = await fhir<Appointment>(`Appointment/${before.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ status: 'booked', meta: { versionId: before.meta?.versionId } });
    expect(server.process.exitCode).toBeNull();
    // Reads and writes go on as before, and the new worker is watched as the first was.
    await book(sameSchedule[1], practitioner, patients[1]);
    expectTimedOut(await fhir(`Practitioner?name=${MARKER}`));
    expect((await fhir('Appointment?_count=5')).status).toBe(200);
    expect(server.output()).not.toMatch(/"level":50/);
  });
});
