/**
 * GET Communication and Communication/{id}: the outbox's emails as FHIR Communications (read-only).
 * Search by `patient` and `about` (an Appointment), newest first, paged by `_count`; staff and
 * machine clients see every message, a patient only their own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Bundle, BundleLink } from 'fhir/r4';
import { isFhirId, parseReference } from '../../domain/references';
import type { Access } from '../auth/access';
import { FhirError } from '../core/fhirError';
import { FHIR_JSON } from '../core/mediaTypes';
import { communicationOf } from '../mail/communication';
import type { SqlOutbox } from '../storage/outbox';

export interface CommunicationRouteOptions {
  outbox: SqlOutbox;
  /** Whether this server sends its email (SMTP_URL set). */
  mailSending: boolean;
  now: () => Date;
  accessOf: (request: FastifyRequest) => Access;
  baseUrl: (request: FastifyRequest) => string;
}

const DEFAULT_COUNT = 50;
const MAX_COUNT = 200;
const PARAMETERS = ['patient', 'about', '_count', '_offset'];

type Query = Record<string, string | string[] | undefined>;

function values(query: Query, name: string): string[] {
  const value = query[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((one) => one.split(','))
    .map((one) => one.trim())
    .filter(Boolean);
}

/** `Patient/123` or `123` as `123`; anything else 400. */
function idsOf(query: Query, name: string, type: string): string[] | undefined {
  const given = values(query, name);
  if (given.length === 0) return undefined;
  return given.map((value) => {
    const ref = value.includes('/') ? parseReference(value) : { resourceType: type, id: value };
    if (ref?.resourceType !== type || !isFhirId(ref.id))
      throw FhirError.of(
        400,
        'value',
        `${name} must be a ${type} id or a reference like ${type}/123, not "${value.slice(0, 64)}".`,
      );
    return ref.id;
  });
}

function whole(query: Query, name: string, fallback: number, max: number): number {
  const [value, ...more] = values(query, name);
  if (value === undefined) return fallback;
  if (more.length > 0 || !/^\d{1,6}$/.test(value))
    throw FhirError.of(400, 'value', `${name} must be one whole number.`);
  return Math.min(Number(value), max);
}

export function communicationRoutes(app: FastifyInstance, options: CommunicationRouteOptions): void {
  const view = () => ({ sending: options.mailSending, now: options.now() });

  app.get('/Communication', async (request, reply) => {
    const query = request.query as Query;
    const unknown = Object.keys(query).filter((name) => !PARAMETERS.includes(name));
    if (unknown.length > 0) {
      throw FhirError.of(
        400,
        'invalid',
        `Communication is searched by ${PARAMETERS.join(', ')}; not by ${unknown.map((name) => name.slice(0, 40)).join(', ')}.`,
      );
    }
    const own = options.accessOf(request).ownPatientOnly('Communication', 'search');
    const asked = idsOf(query, 'patient', 'Patient');
    const count = whole(query, '_count', DEFAULT_COUNT, MAX_COUNT);
    const offset = whole(query, '_offset', 0, 1_000_000);
    const appointmentIds = idsOf(query, 'about', 'Appointment');
    // A patient's token reaches their own messages only, however the query is written.
    const patientIds = own === undefined ? asked : asked === undefined || asked.includes(own) ? [own] : [];
    const { total, messages } =
      patientIds?.length === 0
        ? { total: 0, messages: [] }
        : await options.outbox.search({ patientIds, appointmentIds, count, offset });
    const base = options.baseUrl(request);
    const url = (at: number) => {
      const params = new URLSearchParams();
      for (const name of ['patient', 'about']) for (const value of values(query, name)) params.append(name, value);
      params.set('_count', String(count));
      if (at > 0) params.set('_offset', String(at));
      return `${base}/Communication?${params}`;
    };
    const link: BundleLink[] = [{ relation: 'self', url: url(offset) }];
    if (offset + messages.length < total) link.push({ relation: 'next', url: url(offset + count) });
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total,
      link,
      entry: messages.map((message) => ({
        fullUrl: `${base}/Communication/${message.id}`,
        resource: communicationOf(message, view()),
        search: { mode: 'match' },
      })),
    };
    return reply.type(FHIR_JSON).send(bundle);
  });

  app.get<{ Params: { id: string } }>('/Communication/:id', async (request, reply) => {
    const { id } = request.params;
    const message = isFhirId(id) ? await options.outbox.read(id) : undefined;
    const found = message ? communicationOf(message, view()) : undefined;
    options.accessOf(request).checkRead('Communication', id, found);
    if (!found) throw FhirError.of(404, 'not-found', `There is no Communication with id "${id.slice(0, 64)}".`);
    return reply.type(FHIR_JSON).send(found);
  });
}
