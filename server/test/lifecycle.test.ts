/**
 * The real `npm start` process on its own DATA_DIR: demo data on first start, one server per
 * directory, SIGTERM finishing the request in flight and exiting 0, and a restart that keeps every
 * acknowledged write. Spawning is slow (PGlite on disk), so the whole story is three processes.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appointment, Bundle, Schedule, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClinicDays, clinicDate } from '../../domain/clinicTime';
import { startChildServer, type ChildServer } from './childServer';

const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-lifecycle-'));
let server: ChildServer | undefined;

afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fhir<T>(child: ChildServer, path: string): Promise<T> {
  const response = await fetch(`${child.origin}/fhir/${path}`, { headers: child.headers });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

function exitCode(child: ChildServer): Promise<number | null> {
  const { process: proc } = child;
  return proc.exitCode !== null
    ? Promise.resolve(proc.exitCode)
    : new Promise((done) => proc.once('exit', (code) => done(code)));
}

/** A proposal for the first free slot of the demo data, built from what the API says. */
async function proposalForFreeSlot(child: ChildServer): Promise<object> {
  const slots = await fhir<Bundle>(child, 'Slot?status=free&_count=1&_include=Slot:schedule');
  const slot = slots.entry?.find((entry) => entry.search?.mode === 'match')?.resource as Slot;
  const schedule = slots.entry?.find((entry) => entry.search?.mode === 'include')?.resource as Schedule;
  const patients = await fhir<Bundle>(child, 'Patient?_count=1');
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    start: slot.start,
    slot: [{ reference: `Slot/${slot.id}` }],
    participant: [
      { actor: { reference: `Patient/${patients.entry?.[0].resource?.id}` }, status: 'accepted' },
      { actor: schedule.actor.find((actor) => actor.reference?.startsWith('Practitioner/')), status: 'accepted' },
    ],
  };
}

/**
 * POSTs a booking whose body arrives in two halves, with `between` run after the first half:
 * the request is surely in flight (the server has its headers) when `between` runs.
 */
function postInTwoHalves(
  child: ChildServer,
  body: object,
  between: () => void,
): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolveResponse, reject) => {
    const outgoing = request(`${child.origin}/fhir/Appointment`, {
      method: 'POST',
      headers: { ...child.headers, 'content-length': payload.length },
    });
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolveResponse({ status: response.statusCode ?? 0, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.write(payload.subarray(0, 20));
    setTimeout(() => {
      between();
      setTimeout(() => outgoing.end(payload.subarray(20)), 500);
    }, 500);
  });
}

describe('the server process', () => {
  let booked: Appointment;
  let patientCount: number;

  beforeAll(async () => {
    server = await startChildServer({ dataDir });
  });

  it('creates demo data on its first start: 50+ patients, 6+ practitioners, slots 8 weeks ahead', async () => {
    const running = server as ChildServer;
    expect(running.output()).toMatch(/Created demo data/);
    patientCount = (await fhir<Bundle>(running, 'Patient?_count=0')).total ?? 0;
    expect(patientCount).toBeGreaterThanOrEqual(50);
    expect((await fhir<Bundle>(running, 'Practitioner?_count=0')).total).toBeGreaterThanOrEqual(6);
    const sevenWeeksOn = addClinicDays(clinicDate(new Date(), 'Pacific/Auckland'), 7 * 7);
    const late = await fhir<Bundle>(running, `Slot?status=free&start=ge${sevenWeeksOn}&_count=0`);
    expect(late.total).toBeGreaterThan(0);
  });

  it('is the only server on its DATA_DIR: a second one refuses to start and says why', async () => {
    const second = startChildServer({ dataDir, startTimeoutMs: 30_000 });
    await expect(second).rejects.toThrow(/exited \(1\)[\s\S]*in use by another server \(pid \d+\)/);
    expect((await fetch(`${server?.origin}/fhir/metadata`)).status).toBe(200);
  });

  it('on SIGTERM finishes the request in flight, then exits 0 and releases the directory', async () => {
    const running = server as ChildServer;
    const body = await proposalForFreeSlot(running);
    const exited = exitCode(running);
    const response = await postInTwoHalves(running, body, () => running.process.kill('SIGTERM'));
    expect(response.status, response.body).toBe(201);
    booked = JSON.parse(response.body) as Appointment;
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(false);
    server = undefined;
  });

  it('after a restart has every acknowledged write and no second copy of the demo data; SIGINT also exits 0', async () => {
    server = await startChildServer({ dataDir });
    expect(server.output()).not.toMatch(/Created demo data/);
    expect(await fhir<Appointment>(server, `Appointment/${booked.id}`)).toEqual(booked);
    expect((await fhir<Bundle>(server, 'Patient?_count=0')).total).toBe(patientCount);
    const exited = exitCode(server);
    server.process.kill('SIGINT');
    expect(await exited).toBe(0);
    server = undefined;
  });
});
