/**
 * The outbox across process deaths, with the real `npm start` server as a child process and a real
 * SMTP server the test starts: SIGKILL while a confirmation is on the wire (read whole by the SMTP
 * server, not yet answered), start again on the same store, and the patient gets it exactly once,
 * with the Message-ID fixed at the first claim. On PostgreSQL, two servers sending one outbox send
 * each message once (FOR UPDATE SKIP LOCKED and the lease).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appointment, Bundle, Communication, Patient, Resource, Schedule, Slot } from 'fhir/r4';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startChildServer, type ChildServer } from './childServer';
import { createTestDatabase } from './databases';
import { startTestSmtpServer, type TestSmtpServer } from './testSmtpServer';

const MAIL_ENV = (smtp: TestSmtpServer) => ({
  SMTP_URL: smtp.url,
  MAIL_FROM: 'Ponsonby Family Health <appointments@clinic.example.nz>',
  MAIL_LEASE_SECONDS: '3',
});

async function fhir<T>(server: ChildServer, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.origin}/fhir/${path}`, {
    ...init,
    headers: { ...server.headers, ...init?.headers },
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function resources<T extends Resource>(server: ChildServer, query: string): Promise<T[]> {
  const { status, body } = await fhir<Bundle>(server, query);
  expect(status, JSON.stringify(body)).toBe(200);
  return (body.entry ?? []).map((entry) => entry.resource as T);
}

/** The demo patients with an email address. */
async function patientsWithEmail(server: ChildServer): Promise<string[]> {
  const patients = await resources<Patient>(server, 'Patient?_count=200');
  return patients
    .filter((patient) => patient.telecom?.some((point) => point.system === 'email'))
    .map((patient) => patient.id as string);
}

/** Books `count` appointments for patients with email on free slots at least two hours ahead; returns them. */
async function bookWithEmail(server: ChildServer, count: number): Promise<Appointment[]> {
  const found = await resources<Slot | Schedule>(server, 'Slot?status=free&_count=300&_include=Slot:schedule');
  const schedules = new Map(found.filter((r): r is Schedule => r.resourceType === 'Schedule').map((s) => [s.id, s]));
  const soon = Date.now() + 2 * 60 * 60_000;
  const slots = found.filter((r): r is Slot => r.resourceType === 'Slot' && new Date(r.start).getTime() > soon);
  const patients = await patientsWithEmail(server);
  expect(patients.length).toBeGreaterThan(0);
  const booked: Appointment[] = [];
  for (const [index, slot] of slots.entries()) {
    if (booked.length === count) break;
    const practitioner = schedules
      .get(slot.schedule.reference?.split('/')[1])
      ?.actor.find((actor) => actor.reference?.startsWith('Practitioner/'))?.reference;
    const { status, body } = await fhir<Appointment>(server, 'Appointment', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Appointment',
        status: 'proposed',
        start: slot.start,
        slot: [{ reference: `Slot/${slot.id}` }],
        participant: [
          { actor: { reference: `Patient/${patients[index % patients.length]}` }, status: 'accepted' },
          { actor: { reference: practitioner }, status: 'accepted' },
        ],
      }),
    });
    // A patient already booked then (the demo books some) is refused: the next slot, then.
    if (status === 201) booked.push(body);
  }
  expect(booked).toHaveLength(count);
  return booked;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `start` starts the server on the test's store with the mail settings given. */
async function killMidSendAndRestart(start: (env: Record<string, string>) => Promise<ChildServer>): Promise<void> {
  const smtp = await startTestSmtpServer();
  const held = smtp.holdNext();
  let server = await start(MAIL_ENV(smtp));
  try {
    const [booked] = await bookWithEmail(server, 1);
    // The sender has written the whole message and waits for the SMTP server's 250: a power cut now.
    const onTheWire = await held;
    expect(onTheWire.headers.get('x-appointment-id')).toBe(booked.id);
    await server.kill();
    expect(smtp.accepted).toHaveLength(0);

    server = await start(MAIL_ENV(smtp));
    // Sent again once the dead sender's 3 s lease has run out, with the same Message-ID.
    const [delivered] = await smtp.waitForAccepted(1, 30_000);
    expect(delivered.messageId).toBe(onTheWire.messageId);
    expect(delivered.subject).toMatch(/^Appointment confirmed/);
    // Well past another lease and several polls: still exactly one.
    await sleep(5_000);
    expect(smtp.accepted).toHaveLength(1);
    const [sent] = (await resources<Communication>(server, `Communication?about=Appointment/${booked.id}`)).filter(
      (one) => one.category?.[0]?.coding?.[0]?.code === 'booked',
    );
    expect(sent).toMatchObject({ status: 'completed', identifier: [{ value: onTheWire.messageId }] });
  } finally {
    await server.stop();
    await smtp.close();
  }
}

describe('SIGKILL while an email is being sent', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(
    'PGlite on disk: after a restart the patient gets the confirmation exactly once, same Message-ID',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-mail-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      await killMidSendAndRestart((env) => startChildServer({ dataDir, env }));
    },
  );

  const postgresUrl = inject('postgresUrl');
  it.skipIf(!postgresUrl)(
    'PostgreSQL: after a restart the patient gets the confirmation exactly once, same Message-ID',
    { timeout: 180_000 },
    async () => {
      const database = await createTestDatabase(postgresUrl as string);
      cleanups.push(() => database.drop());
      await killMidSendAndRestart((env) => startChildServer({ databaseUrl: database.url, env }));
    },
  );

  it.skipIf(!postgresUrl)(
    'PostgreSQL: two servers sending one outbox send each message once',
    { timeout: 180_000 },
    async () => {
      const database = await createTestDatabase(postgresUrl as string);
      cleanups.push(() => database.drop());
      const smtp = await startTestSmtpServer();
      const first = await startChildServer({ databaseUrl: database.url, env: MAIL_ENV(smtp) });
      const second = await startChildServer({ databaseUrl: database.url, env: MAIL_ENV(smtp) });
      try {
        const booked = await bookWithEmail(first, 12);
        const arrived = await smtp.waitForAccepted(12, 60_000);
        await sleep(4_000);
        expect(smtp.accepted).toHaveLength(12);
        expect(new Set(arrived.map((mail) => mail.messageId)).size).toBe(12);
        expect(new Set(arrived.map((mail) => mail.headers.get('x-appointment-id'))).size).toBe(booked.length);
      } finally {
        await first.stop();
        await second.stop();
        await smtp.close();
      }
    },
  );
});
