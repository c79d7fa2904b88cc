/**
 * The server under the load a busy clinic network would give it: 50 connections from this process
 * to the server's own process, each looping over the requests the app and a typing receptionist
 * really send: 50 % a whole week of one practitioner's free slots, 25 % patient name searches by
 * their first three letters at the default page size, 15 % appointment reads and 10 % book-then-
 * cancel cycles, every response body read. Bounded by time; traffic only to 127.0.0.1. A bare Node
 * HTTP server answering a fixed 1 KB JSON under the same load gives the machine's ceiling: the
 * ratio to it is what compares across machines. The figures are of a server in its steady state: a
 * few seconds of the same load go first, unmeasured (the first booking loads the R4 definitions the
 * validator needs, and the JIT and the search cache warm up), as they would on a server up for a day.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { Appointment, Bundle, Patient, Resource, Schedule, Slot } from 'fhir/r4';
import { addClinicDays, clinicDate, clinicInstant, startOfClinicWeek, toFhirInstant } from '../domain/clinicTime';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { residentBytes, type ChildServer } from '../server/test/childServer';
import { percentile, type Figure } from './stats';

const CONNECTIONS = 50;
const DURATION_S = 20;
const WARM_UP_S = 3;
const TIME_ZONE = 'Pacific/Auckland';

async function search<T extends Resource>(server: ChildServer, query: string): Promise<T[]> {
  const response = await fetch(`${server.origin}/fhir/${query}`, { headers: server.headers });
  if (!response.ok) throw new Error(`GET ${query}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as Bundle).entry?.map((entry) => entry.resource as T) ?? [];
}

interface Workload {
  slotWeeks: string[];
  nameSearches: string[];
  appointmentReads: string[];
  /** Free future slots with their practitioner; each is held by at most one connection at a time. */
  bookable: Array<{ slot: Slot; practitioner: string }>;
  /** Every patient, each with the times they are booked at (start and end in ms) while the bookable slots are. */
  patients: Map<string, Array<[number, number]>>;
}

async function workload(server: ChildServer): Promise<Workload> {
  const now = new Date();
  const schedules = await search<Schedule>(server, 'Schedule?_count=100');
  const thisWeek = startOfClinicWeek(clinicDate(now, TIME_ZONE));
  const slotWeeks = schedules.flatMap((schedule) =>
    [0, 1, 2, 3].map((week) => {
      const from = addClinicDays(thisWeek, week * 7);
      const start = (date: string) =>
        encodeURIComponent(toFhirInstant(clinicInstant(date, '00:00', TIME_ZONE), TIME_ZONE));
      return `/fhir/Slot?schedule=Schedule/${schedule.id}&status=free&start=ge${start(from)}&start=lt${start(addClinicDays(from, 7))}&_count=1000`;
    }),
  );
  const patients = await search<Patient>(server, 'Patient?_count=1000');
  const nameSearches = patients.slice(0, 200).flatMap((patient) => {
    const family = patient.name?.[0]?.family ?? '';
    return family.length >= 3 ? [`/fhir/Patient?name=${encodeURIComponent(family.slice(0, 3))}`] : [];
  });
  const appointments = await search<Appointment>(server, 'Appointment?_count=200');
  const tomorrow = toFhirInstant(
    clinicInstant(addClinicDays(clinicDate(now, TIME_ZONE), 1), '00:00', TIME_ZONE),
    TIME_ZONE,
  );
  const free = await search<Slot | Schedule>(
    server,
    `Slot?status=free&start=ge${encodeURIComponent(tomorrow)}&_count=400&_include=Slot:schedule`,
  );
  const practitionerOf = new Map(
    free
      .filter((r): r is Schedule => r.resourceType === 'Schedule')
      .map((s) => [s.id, s.actor.find((a) => a.reference?.startsWith('Practitioner/'))?.reference]),
  );
  const bookable = free
    .filter((r): r is Slot => r.resourceType === 'Slot')
    .map((slot) => ({ slot, practitioner: practitionerOf.get(slot.schedule.reference?.split('/')[1]) as string }));
  return {
    slotWeeks,
    nameSearches,
    appointmentReads: appointments.map((appointment) => `/fhir/Appointment/${appointment.id}`),
    bookable,
    patients: await bookedTimes(
      server,
      patients.map((patient) => patient.id as string),
      bookable.map(({ slot }) => slot),
    ),
  };
}

const period = (resource: { start?: string; end?: string }): [number, number] => [
  Date.parse(resource.start ?? ''),
  Date.parse(resource.end ?? ''),
];
const overlaps = ([start, end]: [number, number], [otherStart, otherEnd]: [number, number]) =>
  start < otherEnd && otherStart < end;

/** Each patient's booked times over the bookable slots' days: a booking must not overlap them. */
async function bookedTimes(
  server: ChildServer,
  patients: string[],
  slots: Slot[],
): Promise<Map<string, Array<[number, number]>>> {
  const from = slots.map((slot) => slot.start).sort()[0];
  const to = slots.map((slot) => slot.end).sort()[slots.length - 1];
  const response = await fetch(
    `${server.origin}/fhir/Appointment?status=booked&date=ge${encodeURIComponent(from)}&date=le${encodeURIComponent(to)}&_count=1000`,
    { headers: server.headers },
  );
  const bundle = (await response.json()) as Bundle;
  if ((bundle.total ?? 0) > 1000) throw new Error(`${bundle.total} appointments booked then: more than one page`);
  const times = new Map(patients.map((id): [string, Array<[number, number]>] => [id, []]));
  for (const entry of bundle.entry ?? []) {
    const appointment = entry.resource as Appointment;
    for (const { actor } of appointment.participant)
      times.get(actor?.reference?.replace(/^Patient\//, '') ?? '')?.push(period(appointment));
  }
  return times;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux reports it in 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function cycling(list: string[]): () => string {
  let next = 0;
  return () => list[next++ % list.length];
}

function requestsFor(work: Workload, headers: Record<string, string>): AutocannonRequest[] {
  const slotWeek = cycling(work.slotWeeks);
  const nameSearch = cycling(work.nameSearches);
  const appointmentRead = cycling(work.appointmentReads);
  // A slot, and its time in one patient's day, are held by one cycle from its booking to its cancellation:
  // two connections booking one patient at overlapping times would be refused (409), the bench's own race.
  const idle = [...work.bookable];
  const patients = [...work.patients];
  let nextPatient = 0;
  /** The next patient in turn who is free for the whole slot; the slot's time is theirs until released. */
  const patientFreeFor = (slot: Slot): string | undefined => {
    const time = period(slot);
    for (let tried = 0; tried < patients.length; tried++) {
      const [id, booked] = patients[nextPatient++ % patients.length];
      if (booked.some((other) => overlaps(other, time))) continue;
      booked.push(time);
      return id;
    }
    return undefined;
  };
  const release = (context: Record<string, unknown>) => {
    const held = context.held as Workload['bookable'][number];
    const booked = work.patients.get(context.patient as string) ?? [];
    const index = booked.findIndex(([start]) => start === period(held.slot)[0]);
    if (index >= 0) booked.splice(index, 1);
    idle.push(held);
  };
  const get = (next: () => string): AutocannonRequest => ({
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: next() }),
  });
  const book: AutocannonRequest = {
    method: 'POST',
    path: '/fhir/Appointment',
    setupRequest: (request, context) => {
      const held = idle.shift();
      const patient = held && patientFreeFor(held.slot);
      if (!held || !patient) throw new Error('no free slot or patient left for the book-then-cancel cycle');
      context.held = held;
      context.patient = patient;
      // The connection's context outlives the cycle: the last cycle's booking is not this one's.
      context.booked = undefined;
      return {
        ...request,
        body: JSON.stringify({
          resourceType: 'Appointment',
          status: 'proposed',
          start: held.slot.start,
          slot: [{ reference: `Slot/${held.slot.id}` }],
          participant: [
            { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
            { actor: { reference: held.practitioner }, status: 'accepted' },
          ],
        }),
      };
    },
    onResponse: (status, body, context) => {
      if (status === 201) context.booked = JSON.parse(body) as Appointment;
      else release(context);
    },
  };
  const cancel: AutocannonRequest = {
    method: 'PUT',
    setupRequest: (request, context) => {
      const booked = context.booked as Appointment | undefined;
      // The booking failed (and is counted): read something instead so the cycle goes on.
      if (!booked) return { ...request, method: 'GET', path: appointmentRead(), body: undefined };
      return {
        ...request,
        path: `/fhir/Appointment/${booked.id}`,
        headers: { ...headers, 'if-match': `W/"${booked.meta?.versionId}"` },
        body: JSON.stringify({ ...booked, status: 'cancelled' }),
      };
    },
    onResponse: (status, _body, context) => {
      if (context.booked && status === 200) release(context);
    },
  };
  // One cycle of 20: 10 slot weeks, 5 name searches, 3 reads, a booking and its cancellation, interleaved.
  return [
    ...[1, 2, 3].flatMap(() => [get(slotWeek), get(nameSearch), get(slotWeek), get(appointmentRead)]),
    get(slotWeek),
    get(nameSearch),
    book,
    get(slotWeek),
    get(nameSearch),
    get(slotWeek),
    cancel,
    get(slotWeek),
  ];
}

/** The server's headers and what every browser adds: it takes gzip (the body read is then the compressed one). */
const asBrowser = (server: ChildServer) => ({ ...server.headers, 'accept-encoding': 'gzip, deflate, br, zstd' });

/** The store the figures are for, in their names: `mixed load (PGlite)`. */
export async function measureMixedLoad(
  server: ChildServer,
  store: string,
  bareRequestsPerSecond: number | undefined,
): Promise<Figure[]> {
  await autocannon({
    url: server.origin,
    connections: CONNECTIONS,
    duration: WARM_UP_S,
    timeout: 10,
    headers: asBrowser(server),
    requests: requestsFor(await workload(server), asBrowser(server)),
  });
  // Anew: cycles the warm-up's end cut off left their slots and patients booked.
  const work = await workload(server);
  if (work.bookable.length < CONNECTIONS)
    throw new Error(`only ${work.bookable.length} free slots to book, need ${CONNECTIONS}`);
  const latencies: number[] = [];
  let peakRss = residentBytes(server.pid) ?? 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentBytes(server.pid) ?? 0)), 100);
  // Both processes share the machine's cores: the load generator's own CPU says whether it, not the server, was the limit.
  const serverCpuBefore = cpuSeconds(server.pid);
  const benchCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  try {
    const instance = autocannon({
      url: server.origin,
      connections: CONNECTIONS,
      duration: DURATION_S,
      timeout: 10,
      headers: asBrowser(server),
      requests: requestsFor(work, asBrowser(server)),
    });
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
      latencies.push(responseTime),
    );
    const result = await instance;
    const seconds = (performance.now() - startedAt) / 1000;
    const serverCpu = cpuSeconds(server.pid) - serverCpuBefore;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const section = `mixed load (${store})`;
    const perSecond = result.requests.total / result.duration;
    const codes = Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code}: ${count}`)
      .join(', ');
    return [
      {
        section,
        name: 'requests per second',
        value: perSecond,
        unit: 'req/s',
        budget: { limit: 3000, atMost: false },
        note: `${CONNECTIONS} connections, ${result.duration} s, ${result.requests.total} requests`,
      },
      {
        section,
        name: 'share of the bare Node server',
        value: bareRequestsPerSecond ? (100 * perSecond) / bareRequestsPerSecond : null,
        unit: '%',
        note: bareRequestsPerSecond ? `bare: ${Math.round(bareRequestsPerSecond)} req/s in this run` : 'not measured',
      },
      { section, name: 'latency p50', value: percentile(latencies, 50), unit: 'ms' },
      { section, name: 'latency p95', value: percentile(latencies, 95), unit: 'ms' },
      {
        section,
        name: 'latency p99',
        value: percentile(latencies, 99),
        unit: 'ms',
        budget: { limit: 50, atMost: true },
      },
      {
        section,
        name: 'errors (non-2xx, failed, timed out)',
        value: result.non2xx + result.errors + result.timeouts,
        unit: '',
        budget: { limit: 0, atMost: true },
        note: codes,
      },
      { section, name: 'server peak RSS', value: peakRss / 1024 / 1024, unit: 'MB' },
      {
        section,
        name: 'server CPU per request',
        value: (serverCpu * 1000) / result.requests.total,
        unit: 'ms',
        note: `${Math.round((serverCpu / seconds) * 100)}% of one core`,
      },
      {
        section,
        name: 'load generator CPU',
        value: ((benchCpu.user + benchCpu.system) / 1e6 / seconds) * 100,
        unit: '% of one core',
      },
    ];
  } finally {
    clearInterval(sampler);
  }
}

/** A Node HTTP server with nothing but a fixed 1 KB JSON answer, in its own process as the real one is. */
const BARE_SERVER = `
const body = JSON.stringify({ resourceType: 'Basic', text: 'x'.repeat(990) });
const server = require('node:http').createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** Requests per second of the bare server under the same 50 connections and duration. */
export async function measureBareNode(): Promise<number> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolvePort, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolvePort(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    });
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    return result.requests.total / result.duration;
  } finally {
    child.kill();
  }
}
