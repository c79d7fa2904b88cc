/**
 * Three `npm start` servers on one PostgreSQL behind a round-robin proxy behave as one server: they
 * start together on an empty database (one migrates and seeds, the others wait and find it done), a
 * sign-in's steps may each land on a different replica, the sign-in throttle counts across them, one
 * slot booked from all three at once is booked once, and a replica killed mid-booking loses no
 * write it acknowledged.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Appointment, Bundle, OperationOutcome, Patient, Resource, Schedule, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_CLIENT_ID, APP_SIGNED_IN_PATH } from '../auth/clients';
import { spawnChildServer, withSystemToken, type SpawnedServer } from './childServer';
import { createTestDatabase } from './databases';
import { SERVED_BY, startRoundRobinProxy, type RoundRobinProxy } from './roundRobinProxy';

const REPLICAS = 3;
const STAFF_PASSWORD = 'replica-test-reception-password';
const postgresUrl = inject('postgresUrl');

interface Answer<T> {
  status: number;
  servedBy: number;
  body: T;
  headers: Headers;
}

/** Every request goes through the proxy, as a browser's would. */
async function send<T>(path: string, init: RequestInit = {}): Promise<Answer<T>> {
  const response = await fetch(`${proxy.origin}${path}`, { redirect: 'manual', ...init });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    servedBy: Number(response.headers.get(SERVED_BY)),
    body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    headers: response.headers,
  };
}

let headers: Record<string, string>;
const fhir = <T>(path: string, init: RequestInit = {}) =>
  send<T>(`/fhir/${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });

async function resources<T extends Resource>(query: string): Promise<T[]> {
  const { status, body } = await fhir<Bundle>(query);
  expect(status, JSON.stringify(body)).toBe(200);
  return (body.entry ?? []).map((entry) => entry.resource as T);
}

/** Free slots at least an hour ahead, each with its practitioner's reference. */
async function freeSlots(): Promise<Array<{ slot: Slot; practitioner: string }>> {
  const found = await resources<Slot | Schedule>('Slot?status=free&_count=300&_include=Slot:schedule');
  const schedules = new Map(found.filter((r): r is Schedule => r.resourceType === 'Schedule').map((s) => [s.id, s]));
  return found
    .filter((r): r is Slot => r.resourceType === 'Slot' && new Date(r.start).getTime() > Date.now() + 3_600_000)
    .map((slot) => ({
      slot,
      practitioner: schedules
        .get(slot.schedule.reference?.split('/')[1])
        ?.actor.find((actor) => actor.reference?.startsWith('Practitioner/'))?.reference as string,
    }));
}

function booking(slot: Slot, practitioner: string, patient: string, description: string): RequestInit {
  return {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Appointment',
      status: 'proposed',
      description,
      start: slot.start,
      slot: [{ reference: `Slot/${slot.id}` }],
      participant: [
        { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
        { actor: { reference: practitioner }, status: 'accepted' },
      ],
    }),
  };
}

const form = (values: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: proxy.origin },
  body: new URLSearchParams(values).toString(),
});

let proxy: RoundRobinProxy;
let servers: SpawnedServer[] = [];
let dropDatabase: (() => Promise<void>) | undefined;

describe.skipIf(!postgresUrl)('three replicas on one PostgreSQL', () => {
  beforeAll(async () => {
    const database = await createTestDatabase(postgresUrl as string);
    dropDatabase = database.drop;
    proxy = await startRoundRobinProxy();
    // All three at once on the empty database: migrations and demo data must each happen once.
    servers = await Promise.all(
      Array.from({ length: REPLICAS }, () =>
        spawnChildServer({
          databaseUrl: database.url,
          startTimeoutMs: 180_000,
          env: {
            PUBLIC_BASE_URL: `${proxy.origin}/fhir`,
            TRUST_PROXY: '127.0.0.1',
            DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
          },
        }),
      ),
    );
    proxy.route(servers.map((server) => server.origin));
    ({ headers } = await withSystemToken({ ...servers[0], origin: proxy.origin }));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await proxy?.close();
    await dropDatabase?.();
  });

  it('seeds the empty database once, however many replicas start together', () => {
    const seeded = servers.filter((server) => /Created demo data/.test(server.output()));
    expect(seeded, servers.map((server) => server.output()).join('\n---\n')).toHaveLength(1);
  });

  it('signs in on one replica, exchanges the code on another and refreshes on the third', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const query = {
      response_type: 'code',
      client_id: APP_CLIENT_ID,
      redirect_uri: `${proxy.origin}${APP_SIGNED_IN_PATH}`,
      scope: 'openid fhirUser user/*.cruds offline_access',
      state: 'replica-state',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      aud: `${proxy.origin}/fhir`,
    };
    const signedIn = await send<string>(
      '/auth/authorize',
      form({ ...query, sign_in_as: 'staff', username: 'reception', password: STAFF_PASSWORD }),
    );
    expect(signedIn.status, signedIn.body).toBe(302);
    const code = new URL(signedIn.headers.get('location') as string).searchParams.get('code') as string;
    const exchanged = await send<{ access_token: string; refresh_token: string }>(
      '/auth/token',
      form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: query.redirect_uri,
        client_id: APP_CLIENT_ID,
        code_verifier: verifier,
      }),
    );
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
    const refreshed = await send<{ access_token: string; refresh_token: string }>(
      '/auth/token',
      form({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token, client_id: APP_CLIENT_ID }),
    );
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(new Set([signedIn.servedBy, exchanged.servedBy, refreshed.servedBy]).size).toBe(REPLICAS);

    // The refreshed token works on every replica; the spent refresh token is refused by every one.
    for (let replica = 0; replica < REPLICAS; replica++) {
      const read = await send<Bundle>('/fhir/Practitioner?_count=1', {
        headers: { accept: 'application/fhir+json', authorization: `Bearer ${refreshed.body.access_token}` },
      });
      expect(read.status).toBe(200);
    }
    const replayed = await send(
      '/auth/token',
      form({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token, client_id: APP_CLIENT_ID }),
    );
    expect(replayed.status).toBe(400);
  });

  it('counts failed sign-ins across the replicas', async () => {
    const answers: Answer<string>[] = [];
    // An account's wait doubles with each failure past five, so a 429 comes however slow the machine.
    for (let attempt = 0; attempt < 12 && answers.at(-1)?.status !== 429; attempt++) {
      answers.push(
        await send<string>(
          '/auth/authorize',
          form({
            response_type: 'code',
            client_id: APP_CLIENT_ID,
            redirect_uri: `${proxy.origin}${APP_SIGNED_IN_PATH}`,
            scope: 'openid fhirUser user/*.cruds',
            state: 'guess',
            code_challenge: createHash('sha256').update('guess').digest('base64url'),
            code_challenge_method: 'S256',
            aud: `${proxy.origin}/fhir`,
            sign_in_as: 'staff',
            username: 'reception',
            password: `wrong-${attempt}`,
          }),
        ),
      );
    }
    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    const refused = answers.at(-1) as Answer<string>;
    expect(refused.status).toBe(429);
    // No one replica saw five failures: only the shared count can have refused it.
    expect(answers.filter((answer) => answer.servedBy === refused.servedBy).length).toBeLessThan(5);
  });

  it('books one slot once when 60 requests for it arrive at the three replicas together', async () => {
    const [{ slot, practitioner }] = await freeSlots();
    const patients = (await resources<Patient>('Patient?_count=60')).map((patient) => patient.id as string);
    expect(patients).toHaveLength(60);
    const answers = await Promise.all(
      patients.map((patient, index) =>
        fhir<Appointment | OperationOutcome>('Appointment', booking(slot, practitioner, patient, `race ${index}`)),
      ),
    );
    expect(new Set(answers.map((answer) => answer.servedBy)).size).toBe(REPLICAS);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(59);
    const stored = await resources<Appointment>(`Appointment?slot=Slot/${slot.id}&status=booked`);
    expect(stored).toHaveLength(1);
    expect((await fhir<Slot>(`Slot/${slot.id}`)).body.status).toBe('busy');
  });

  it('loses no acknowledged booking when a replica is killed with SIGKILL mid-booking', async () => {
    const targets = (await freeSlots()).slice(0, 90);
    const patients = (await resources<Patient>('Patient?_count=30')).map((p) => p.id as string);
    const acknowledged: Appointment[] = [];
    let next = 0;
    let killing: Promise<void> | undefined;
    const worker = async () => {
      while (next < targets.length) {
        const index = next++;
        const { slot, practitioner } = targets[index];
        const answer = await fhir<Appointment>(
          'Appointment',
          booking(slot, practitioner, patients[index % patients.length], `kill ${index}`),
        ).catch(() => undefined);
        // 502 (the killed replica's connection broke) and 409 (the patient is busy then) promise nothing.
        if (answer?.status !== 201) continue;
        acknowledged.push(answer.body);
        if (acknowledged.length === 15) {
          killing = servers[1].kill().then(() => proxy.drop(1));
        }
      }
    };
    await Promise.all(Array.from({ length: 9 }, worker));
    expect(killing, 'a replica was killed while bookings were in flight').toBeDefined();
    await killing;
    expect(acknowledged.length).toBeGreaterThan(15);
    for (const appointment of acknowledged) {
      const read = await fhir<Appointment>(`Appointment/${appointment.id}`);
      expect(read.status, `Appointment/${appointment.id} was answered 201`).toBe(200);
      expect(read.body.status).toBe('booked');
      const slot = appointment.slot?.[0]?.reference as string;
      expect((await fhir<Slot>(slot)).body.status).toBe('busy');
      expect(await resources<Appointment>(`Appointment?slot=${slot}&status=booked`)).toHaveLength(1);
    }
  });
});
