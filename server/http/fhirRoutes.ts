/** The FHIR REST interactions. Thin: each route reads the request and hands it to the rules. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appointment, Provenance, Resource } from 'fhir/r4';
import type { PracticeRules } from '../../domain/practiceRules';
import { isFhirId, parseReference } from '../../domain/references';
import type { Access } from '../auth/access';
import type { OAuthEndpoints } from '../auth/smartConfiguration';
import { bookAppointment, bookAppointmentUnlessExists } from '../appointments/booking';
import { cancelAppointment, cancelWithReason } from '../appointments/cancelling';
import { rescheduleAppointment } from '../appointments/rescheduling';
import { changeStatus } from '../appointments/statusChange';
import { HISTORY_TYPES, capabilityStatement } from './capabilityStatement';
import { FhirError } from '../core/fhirError';
import { loadDefinitions } from '../core/structuralValidation';
import { searchBundle, searchEntries, searchEnvelope } from './searchBundle';
import { partsBody } from './partsBody';
import { sendSearchBundle, serializeBundle, serializedBundle } from './searchEtag';
import { historyBundle, parseHistoryQuery } from './historyBundle';
import { parseSearch, parseSearchRequest, supportedSearchParameters, type QueryValues } from '../search/parseSearch';
import type { SearchableType, SearchSpec } from '../storage/searchSpec';
import type { FhirStore } from '../storage/fhirStore';
import { FHIR_JSON } from '../core/mediaTypes';
import { preferences, sendRead, sendWritten } from './fhirReply';
import { checkParameters } from './requestLimits';
import { OPERATION_DEFINITIONS, STRUCTURE_DEFINITIONS } from './conformance';
import { requesterOf } from './requester';
import { communicationRoutes } from './communicationRoutes';
import { DEFAULT_REMINDER_HOURS_BEFORE } from '../mail/messageSettings';
import type { SqlOutbox } from '../storage/outbox';

export interface FhirRouteOptions {
  store: FhirStore;
  timeZone: string;
  now: () => Date;
  publicBaseUrl?: string;
  software: { name: string; version: string };
  /** Where to sign in: declared in the CapabilityStatement. */
  oauthEndpoints: (request: FastifyRequest) => OAuthEndpoints;
  /** The practice's rules for patients (domain.md); the defaults when omitted. */
  practiceRules?: PracticeRules;
  /** The emails' outbox, read as Communication resources; omitted, there are none to read. */
  outbox?: SqlOutbox;
  /** Whether this server sends the outbox's email (SMTP_URL set). */
  mailSending?: boolean;
  /** REMINDER_HOURS_BEFORE: when a booking's reminder email goes. */
  reminderHoursBefore?: number;
}

const JSON_PATCH = 'application/json-patch+json';

const DEFINITIONS_AFTER_LISTEN_MS = 1_000;

const RESOURCE_TYPES: readonly SearchableType[] = [
  'Patient',
  'Practitioner',
  'Location',
  'Schedule',
  'Slot',
  'Appointment',
  'Provenance',
];

/** The outbox's emails: read and searched by their own routes (communicationRoutes.ts), never written. */
const READ_ONLY_TYPES = ['Communication'];

function resourceType(type: string): SearchableType {
  if ((RESOURCE_TYPES as readonly string[]).includes(type)) return type as SearchableType;
  if (READ_ONLY_TYPES.includes(type)) return type as SearchableType;
  throw FhirError.of(
    404,
    'not-supported',
    `This server has no ${String(type).slice(0, 60)} resources; it serves ${RESOURCE_TYPES.join(', ')}.`,
  );
}

function resourceId(type: string, id: string): string {
  if (!isFhirId(id)) throw FhirError.of(404, 'not-found', `There is no ${type} with id "${id.slice(0, 64)}".`);
  return id;
}

function notAllowed(type: string, interaction: string): FhirError {
  if (type === 'Appointment' && interaction === 'DELETE') {
    return FhirError.of(
      405,
      'not-supported',
      'Appointments are not deleted: to cancel one, read it, set status to "cancelled" and PUT it back.',
    );
  }
  if (type === 'Appointment') {
    return FhirError.of(
      405,
      'not-supported',
      `${interaction} is not supported for Appointment: POST a proposed Appointment to book, PUT it with status "cancelled" to cancel, PATCH /status to mark arrivals, or use $cancel and $reschedule.`,
    );
  }
  return FhirError.of(405, 'not-supported', `${type} resources are read-only here: ${interaction} is not supported.`);
}

export async function fhirRoutes(app: FastifyInstance, options: FhirRouteOptions): Promise<void> {
  const { store, now } = options;
  // The validator's definitions are half a second of reading: done shortly after the server is up,
  // rather than inside the first booking or before listening (which would slow every start).
  app.addHook('onListen', async () => {
    setTimeout(loadDefinitions, DEFINITIONS_AFTER_LISTEN_MS).unref();
  });
  // JSON Patch is a body only PATCH takes; read as JSON here, judged by the route.
  app.addContentTypeParser(JSON_PATCH, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, String(body).length === 0 ? undefined : JSON.parse(String(body)));
    } catch {
      done(FhirError.of(400, 'structure', `The ${JSON_PATCH} body could not be read as JSON.`), undefined);
    }
  });
  /** Who is asking and the rules that hold them, for every write. */
  const messages = {
    timeZone: options.timeZone,
    reminderHoursBefore: options.reminderHoursBefore ?? DEFAULT_REMINDER_HOURS_BEFORE,
  };
  const who = (request: FastifyRequest) => ({
    requester: requesterOf(request),
    rules: options.practiceRules,
    messages,
  });
  const baseUrl = (request: FastifyRequest) => options.publicBaseUrl ?? `${request.protocol}://${request.host}/fhir`;

  // What the request's token allows. Access control runs before every route but the metadata, so a
  // route reached without it is a wiring fault of ours, never an open door.
  const accessOf = (request: FastifyRequest): Access => {
    if (!request.access)
      throw new Error(`${request.method} ${request.routeOptions.url} was reached without access control`);
    return request.access;
  };

  app.get('/metadata', async (request, reply) =>
    reply
      .type(FHIR_JSON)
      .send(capabilityStatement(baseUrl(request), options.software, options.oauthEndpoints(request))),
  );

  if (options.outbox)
    communicationRoutes(app, {
      outbox: options.outbox,
      mailSending: options.mailSending ?? false,
      now,
      accessOf,
      baseUrl,
    });

  const search = async (request: FastifyRequest<{ Params: { type: string } }>, query: QueryValues) => {
    const type = resourceType(request.params.type);
    if (READ_ONLY_TYPES.includes(type)) throw FhirError.of(405, 'not-supported', `Search ${type} with GET ${type}?...`);
    const access = accessOf(request);
    const parsed = parseSearchRequest(type, query, {
      timeZone: options.timeZone,
      now: now(),
      strict: preferences(request).strict,
    });
    const spec = access.narrowSearch(parsed.spec);
    // A count alone reads no page and no includes.
    const result = await store.search(parsed.shape.summary === 'count' ? { ...spec, count: 0, include: [] } : spec);
    const included = access.filterIncluded(result.included);
    const base = baseUrl(request);
    const searched = { ...parsed, spec };
    const bundle = () => searchBundle(base, searched, { ...result, included });
    // What the token may not see was left out: this answer is its own.
    if (included.length !== result.included.length) return serializeBundle(bundle());
    // Everything besides the result the Bundle is made of: the result stands for its search, but a
    // count's serves any _count and _offset, which the links carry.
    const way = JSON.stringify([base, parsed.applied, parsed.shape, spec.count, spec.offset]);
    const { parts } = result;
    const fromParts =
      parts && included.length === 0 && parsed.shape.summary !== 'count'
        ? () =>
            partsBody(searchEnvelope(base, searched, result), parts, JSON.stringify([base, parsed.shape]), (part) =>
              searchEntries(base, parsed.shape, part.matches, 'match'),
            )
        : undefined;
    return serializedBundle(result, way, bundle, fromParts);
  };
  app.get<{ Params: { type: string } }>('/:type', async (request, reply) =>
    sendSearchBundle(request, reply, await search(request, request.query as QueryValues)),
  );
  app.post<{ Params: { type: string } }>('/:type/_search', async (request, reply) => {
    // FHIR's _search takes a form; a JSON body here would only be something else's shape to walk.
    if (
      request.body !== undefined &&
      !String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')
    ) {
      throw FhirError.of(
        415,
        'not-supported',
        'Send _search parameters as application/x-www-form-urlencoded (a form body).',
      );
    }
    const query = { ...(request.query as QueryValues), ...(request.body as QueryValues | undefined) };
    checkParameters(query);
    return reply.type(FHIR_JSON).send((await search(request, query)).body);
  });

  /**
   * If-None-Exist's search, read strictly: a parameter ignored would widen the condition and answer
   * with an appointment it was never about. `Appointment?` before the query is allowed.
   */
  const conditionOf = (type: SearchableType, header: string): SearchSpec => {
    const query: QueryValues = {};
    for (const [name, value] of new URLSearchParams(header.replace(new RegExp(`^(${type})?\\?`), ''))) {
      const before = query[name];
      query[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
    }
    checkParameters(query);
    const parameters = supportedSearchParameters(type);
    const spec = parseSearch(type, query, { timeZone: options.timeZone, now: now(), strict: true });
    if (spec.criteria.length === 0 || Object.keys(query).some((name) => !parameters.includes(name)))
      throw FhirError.of(
        400,
        'invalid',
        `If-None-Exist takes ${type}'s search parameters that pick the resource (${parameters.join(', ')}), like patient=...&date=...`,
      );
    return spec;
  };

  const read = async (request: FastifyRequest, type: string, id: string, version?: string): Promise<Resource> => {
    const checkedType = resourceType(type);
    const checkedId = resourceId(type, id);
    const found =
      version === undefined
        ? await store.read(checkedType, checkedId)
        : await store.vread(checkedType, checkedId, version);
    accessOf(request).checkRead(checkedType, checkedId, found);
    if (!found)
      throw FhirError.of(
        404,
        'not-found',
        `There is no ${type} with id "${id}"${version ? ` at version ${version.slice(0, 20)}` : ''}.`,
      );
    if (checkedType === 'Provenance') await checkProvenanceTarget(request, found as Provenance);
    return found;
  };
  /** A Provenance is read by whoever may read the appointment it is about. */
  const checkProvenanceTarget = async (request: FastifyRequest, provenance: Provenance) => {
    for (const target of provenance.target ?? []) {
      const ref = parseReference(target.reference);
      if (ref?.resourceType === 'Appointment')
        accessOf(request).checkRead('Appointment', ref.id, await store.read('Appointment', ref.id));
    }
  };

  // The conformance resources the CapabilityStatement points at (public, like it).
  for (const [type, definitions] of [
    ['OperationDefinition', OPERATION_DEFINITIONS],
    ['StructureDefinition', STRUCTURE_DEFINITIONS],
  ] as const) {
    app.get<{ Params: { id: string } }>(`/${type}/:id`, async (request, reply) => {
      const found = (definitions as ReadonlyArray<{ id?: string }>).find(
        (definition) => definition.id === request.params.id,
      );
      if (!found)
        throw FhirError.of(
          404,
          'not-found',
          `There is no ${type} "${request.params.id.slice(0, 64)}"; see the CapabilityStatement at /fhir/metadata.`,
        );
      return reply.type(FHIR_JSON).send(found);
    });
  }
  app.get<{ Params: { type: string; id: string } }>('/:type/:id', async (request, reply) => {
    const found = await read(request, request.params.type, request.params.id);
    return sendRead(request, reply, found);
  });
  app.get<{ Params: { type: string; id: string } }>('/:type/:id/_history', async (request, reply) => {
    const current = await read(request, request.params.type, request.params.id);
    const query = parseHistoryQuery(request.query as QueryValues, preferences(request).strict);
    const since = query.since?.getTime();
    const versions = (await store.history(current.resourceType, current.id as string)).filter(
      (version) => since === undefined || Date.parse(version.meta?.lastUpdated ?? '') >= since,
    );
    const page = { total: versions.length, versions: versions.slice(query.offset, query.offset + query.count) };
    const bundle = historyBundle(baseUrl(request), `${current.resourceType}/${current.id}/_history`, query, page);
    return reply.type(FHIR_JSON).send(bundle);
  });
  app.get<{ Params: { type: string } }>('/:type/_history', async (request, reply) => {
    const type = resourceType(request.params.type);
    if (!HISTORY_TYPES.includes(type))
      throw FhirError.of(
        405,
        'not-supported',
        `${type} has no type history here: read one's history at ${type}/{id}/_history.`,
      );
    // SMART counts history-type as a search: a patient's token sees the versions of their own appointments only.
    const patient = accessOf(request).ownPatientOnly(type, 'search');
    const query = parseHistoryQuery(request.query as QueryValues, preferences(request).strict);
    const page = await store.typeHistory(type, { ...query, ...(patient ? { patient } : {}) });
    return reply.type(FHIR_JSON).send(historyBundle(baseUrl(request), `${type}/_history`, query, page));
  });
  app.get<{ Params: { type: string; id: string; vid: string } }>('/:type/:id/_history/:vid', async (request, reply) => {
    const found = await read(request, request.params.type, request.params.id, request.params.vid);
    return sendRead(request, reply, found);
  });

  app.post<{ Params: { type: string } }>('/:type', async (request, reply) => {
    if (resourceType(request.params.type) !== 'Appointment') throw notAllowed(request.params.type, 'POST');
    const access = accessOf(request);
    access.checkCreate('Appointment', request.body);
    const condition = request.headers['if-none-exist'];
    if (condition !== undefined) {
      const existing = access.narrowSearch(conditionOf('Appointment', String(condition)));
      const { appointment, created } = await bookAppointmentUnlessExists(
        store,
        request.body,
        existing,
        now(),
        who(request),
      );
      if (!created)
        return sendWritten(
          request,
          reply,
          200,
          appointment,
          `Appointment/${appointment.id} already matches If-None-Exist; nothing was booked.`,
        );
      reply.header(
        'Location',
        `${baseUrl(request)}/Appointment/${appointment.id}/_history/${appointment.meta?.versionId}`,
      );
      return sendWritten(request, reply, 201, appointment, `Booked Appointment/${appointment.id}.`);
    }
    const booked = await bookAppointment(store, request.body, now(), who(request));
    reply.header('Location', `${baseUrl(request)}/Appointment/${booked.id}/_history/${booked.meta?.versionId}`);
    return sendWritten(request, reply, 201, booked, `Booked Appointment/${booked.id}.`);
  });

  app.put<{ Params: { type: string; id: string } }>('/:type/:id', async (request, reply) => {
    if (resourceType(request.params.type) !== 'Appointment') throw notAllowed(request.params.type, 'PUT');
    const id = resourceId('Appointment', request.params.id);
    await accessOf(request).checkUpdate('Appointment', () => store.read('Appointment', id));
    const cancelled = await cancelAppointment(
      store,
      id,
      request.body,
      request.headers['if-match'],
      now(),
      who(request),
    );
    return sendWritten(request, reply, 200, cancelled, `Cancelled Appointment/${id}.`);
  });

  app.patch<{ Params: { type: string; id: string } }>('/:type/:id', async (request, reply) => {
    if (resourceType(request.params.type) !== 'Appointment') throw notAllowed(request.params.type, 'PATCH');
    const id = resourceId('Appointment', request.params.id);
    const sent = String(request.headers['content-type'] ?? '').toLowerCase();
    if (!sent.startsWith(JSON_PATCH)) {
      throw FhirError.of(
        415,
        'not-supported',
        `PATCH takes a JSON Patch (Content-Type: ${JSON_PATCH}) replacing /status, not ${sent.split(';')[0].slice(0, 80) || 'a body without a Content-Type'}.`,
      );
    }
    await accessOf(request).checkUpdate('Appointment', () => store.read('Appointment', id));
    const changed = await changeStatus(
      store,
      id,
      request.body,
      request.headers['if-match'],
      options.timeZone,
      now(),
      who(request),
    );
    return sendWritten(request, reply, 200, changed, `Appointment/${id} is now ${changed.status}.`);
  });

  /** An operation on one appointment: the caller must be allowed to change it. */
  const appointmentOperation = async (
    request: FastifyRequest<{ Params: { type: string; id: string } }>,
  ): Promise<string> => {
    if (resourceType(request.params.type) !== 'Appointment')
      throw FhirError.of(404, 'not-supported', `${request.params.type} has no operations here.`);
    const id = resourceId('Appointment', request.params.id);
    await accessOf(request).checkUpdate('Appointment', () => store.read('Appointment', id));
    return id;
  };
  app.post<{ Params: { type: string; id: string } }>('/:type/:id/$cancel', async (request, reply) => {
    const id = await appointmentOperation(request);
    const cancelled = await cancelWithReason(store, id, request.body, request.headers['if-match'], now(), who(request));
    return sendWritten(request, reply, 200, cancelled, `Cancelled Appointment/${id}.`);
  });
  app.post<{ Params: { type: string; id: string } }>('/:type/:id/$reschedule', async (request, reply) => {
    const id = await appointmentOperation(request);
    const { booked } = await rescheduleAppointment(
      store,
      id,
      request.body,
      request.headers['if-match'],
      now(),
      who(request),
    );
    reply.header('Content-Location', `${baseUrl(request)}/Appointment/${booked.id}/_history/${booked.meta?.versionId}`);
    return sendWritten(
      request,
      reply,
      200,
      booked as Appointment,
      `Rescheduled Appointment/${id} to Appointment/${booked.id}.`,
    );
  });

  app.delete<{ Params: { type: string; id: string } }>('/:type/:id', async (request) => {
    throw notAllowed(resourceType(request.params.type), 'DELETE');
  });
}
