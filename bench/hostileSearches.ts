/**
 * Ordinary reads beside a hostile client (issue 12): p99 of appointment reads and small searches
 * alone, then the same reads while three clients send, back to back, the costliest search the limits
 * allow (100 name words) and the 225 KB form that used to stall the server. Bounded by time.
 */
import type { Appointment, Bundle } from 'fhir/r4';
import type { ChildServer } from '../server/test/childServer';
import { percentile, type Figure } from './stats';

const READERS = 8;
const DURATION_MS = 10_000;
const HOSTILE_CLIENTS = 3;
const FORM = 'application/x-www-form-urlencoded';

/** The costliest search the limits allow: 10 name values of 10 words each (100 terms). */
const WORST_ALLOWED = Array.from(
  { length: 10 },
  (_, value) =>
    `name=${Array.from({ length: 10 }, (_, word) => `${String.fromCharCode(97 + ((value + word) % 26))}${String.fromCharCode(97 + ((value * 7 + word) % 26))}`).join('+')}`,
).join('&');
/** What the red team sent: 9,000 x name=a+b+...+j, 225 KB. */
const OVERSIZED = Array.from({ length: 9_000 }, () => 'name=a+b+c+d+e+f+g+h+i+j').join('&');

async function readLoop(
  server: ChildServer,
  paths: string[],
  until: number,
  latencies: number[],
  failures: { count: number },
): Promise<void> {
  for (let i = 0; performance.now() < until; i++) {
    const started = performance.now();
    const response = await fetch(`${server.origin}${paths[i % paths.length]}`, { headers: server.headers });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    if (!response.ok) failures.count++;
  }
}

async function hostileLoop(server: ChildServer, until: number, answers: Map<number, number>): Promise<void> {
  for (let i = 0; performance.now() < until; i++) {
    const body = i % 2 === 0 ? WORST_ALLOWED : OVERSIZED;
    const response = await fetch(`${server.origin}/fhir/${i % 4 < 2 ? 'Patient' : 'Practitioner'}/_search`, {
      method: 'POST',
      headers: { ...server.headers, 'content-type': FORM },
      body,
    });
    await response.arrayBuffer();
    answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
  }
}

async function reads(
  server: ChildServer,
  paths: string[],
  hostile: boolean,
): Promise<{ latencies: number[]; failures: number; hostileAnswers: Map<number, number> }> {
  const until = performance.now() + DURATION_MS;
  const latencies: number[] = [];
  const failures = { count: 0 };
  const hostileAnswers = new Map<number, number>();
  await Promise.all([
    ...Array.from({ length: READERS }, () => readLoop(server, paths, until, latencies, failures)),
    ...(hostile ? Array.from({ length: HOSTILE_CLIENTS }, () => hostileLoop(server, until, hostileAnswers)) : []),
  ]);
  return { latencies, failures: failures.count, hostileAnswers };
}

export async function measureReadsBesideHostileSearches(server: ChildServer): Promise<Figure[]> {
  const section = 'hostile searches';
  const bundle = (await (
    await fetch(`${server.origin}/fhir/Appointment?_count=100`, { headers: server.headers })
  ).json()) as Bundle;
  const ids = (bundle.entry ?? []).map((entry) => (entry.resource as Appointment).id);
  const paths = [...ids.map((id) => `/fhir/Appointment/${id}`), '/fhir/Appointment?_count=5'];
  await reads(server, paths, false); // warm up
  const alone = await reads(server, paths, false);
  const beside = await reads(server, paths, true);
  const aloneP99 = percentile(alone.latencies, 99);
  const besideP99 = percentile(beside.latencies, 99);
  const answers = [...beside.hostileAnswers].map(([status, count]) => `${count} x ${status}`).join(', ');
  return [
    {
      section,
      name: 'reads alone p99',
      value: aloneP99,
      unit: 'ms',
      note: `${READERS} readers for ${DURATION_MS / 1000} s, ${alone.latencies.length} reads, ${alone.failures} failed`,
    },
    {
      section,
      name: `reads beside ${HOSTILE_CLIENTS} hostile searches p99`,
      value: besideP99,
      unit: 'ms',
      // "Keep their p99": within twice the figure alone (and a few ms of noise).
      budget: { limit: Math.max(2 * aloneP99, aloneP99 + 10), atMost: true },
      note: `${beside.latencies.length} reads, ${beside.failures} failed; hostile answers: ${answers}`,
    },
    {
      section,
      name: 'hostile searches answered 5xx',
      value: [...beside.hostileAnswers].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0),
      unit: '',
      budget: { limit: 0, atMost: true },
    },
  ];
}
