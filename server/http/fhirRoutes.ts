/** The FHIR REST interactions. Thin: each route reads the request and hands it to the rules. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Resource } from 'fhir/r4';
import { isFhirId } from '../../domain/references';
import type { Access } from '../auth/access';
import type { OAuthEndpoints } from '../auth/smartConfiguration';
import { bookAppointment } from '../appointments/booking';
import { cancelAppointment } from '../appointments/cancelling';
import { capabilityStatement } from './capabilityStatement';
import { FhirError } from '../core/fhirError';
import { loadDefinitions } from '../core/structuralValidation';
import { searchBundle } from './searchBundle';
import { sendSearchBundle } from './searchEtag';
import { parseSearch, type QueryValues } from '../search/parseSearch';
import type { SearchableType } from '../storage/searchSpec';
import type { FhirStore } from '../storage/fhirStore';
import { FHIR_JSON } from '../core/mediaTypes';
import { preferences, sendWritten, versionHeaders } from './fhirReply';

export interface FhirRouteOptions {
  store: FhirStore;
  timeZone: string;
  now: () => Date;
  publicBaseUrl?: string;
  software: { name: string; version: string };
  /** Where to sign in: declared in the CapabilityStatement. */
  oauthEndpoints: (request: FastifyRequest) => OAuthEndpoints;
}

const DEFINITIONS_AFTER_LISTEN_MS = 1_000;

const RESOURCE_TYPES: readonly SearchableType[] = ['Patient', 'Practitioner', 'Location', 'Schedule', 'Slot', 'Appointment'];

function resourceType(type: string): SearchableType {
  if ((RESOURCE_TYPES as readonly string[]).includes(type)) return type as SearchableType;
  throw FhirError.of(404, 'not-supported', `This server has no ${String(type).slice(0, 60)} resources; it serves ${RESOURCE_TYPES.join(', ')}.`);
}

function resourceId(type: string, id: string): string {
  if (!isFhirId(id)) throw FhirError.of(404, 'not-found', `There is no ${type} with id "${id.slice(0, 64)}".`);
  return id;
}

function notAllowed(type: string, interaction: string): FhirError {
  if (type === 'Appointment' && interaction === 'DELETE') {
    return FhirError.of(405, 'not-supported', 'Appointments are not deleted: to cancel one, read it, set status to "cancelled" and PUT it back.');
  }
  if (type === 'Appointment') {
    return FhirError.of(405, 'not-supported', `${interaction} is not supported for Appointment: POST a proposed Appointment to book, PUT it with status "cancelled" to cancel.`);
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
  const baseUrl = (request: FastifyRequest) => options.publicBaseUrl ?? `${request.protocol}://${request.host}/fhir`;

  // What the request's token allows. Access control runs before every route but the metadata, so a
  // route reached without it is a wiring fault of ours, never an open door.
  const accessOf = (request: FastifyRequest): Access => {
    if (!request.access) throw new Error(`${request.method} ${request.routeOptions.url} was reached without access control`);
    return request.access;
  };

  app.get('/metadata', async (request, reply) =>
    reply.type(FHIR_JSON).send(capabilityStatement(baseUrl(request), options.software, options.oauthEndpoints(request))),
  );

  const search = async (request: FastifyRequest<{ Params: { type: string } }>, query: QueryValues) => {
    const type = resourceType(request.params.type);
    const access = accessOf(request);
    const spec = access.narrowSearch(parseSearch(type, query, { timeZone: options.timeZone, now: now(), strict: preferences(request).strict }));
    const result = await store.search(spec);
    return searchBundle(baseUrl(request), spec, query, { ...result, included: access.filterIncluded(result.included) });
  };
  app.get<{ Params: { type: string } }>('/:type', async (request, reply) => sendSearchBundle(request, reply, await search(request, request.query as QueryValues)));
  app.post<{ Params: { type: string } }>('/:type/_search', async (request, reply) =>
    reply.type(FHIR_JSON).send(await search(request, { ...(request.query as QueryValues), ...(request.body as QueryValues) })),
  );

  const read = async (request: FastifyRequest, type: string, id: string, version?: string): Promise<Resource> => {
    const checkedType = resourceType(type);
    const checkedId = resourceId(type, id);
    const found = version === undefined ? await store.read(checkedType, checkedId) : await store.vread(checkedType, checkedId, version);
    accessOf(request).checkRead(checkedType, checkedId, found);
    if (!found) throw FhirError.of(404, 'not-found', `There is no ${type} with id "${id}"${version ? ` at version ${version.slice(0, 20)}` : ''}.`);
    return found;
  };
  app.get<{ Params: { type: string; id: string } }>('/:type/:id', async (request, reply) => {
    const found = await read(request, request.params.type, request.params.id);
    return versionHeaders(reply, found).type(FHIR_JSON).send(found);
  });
  app.get<{ Params: { type: string; id: string; vid: string } }>('/:type/:id/_history/:vid', async (request, reply) => {
    const found = await read(request, request.params.type, request.params.id, request.params.vid);
    return versionHeaders(reply, found).type(FHIR_JSON).send(found);
  });

  app.post<{ Params: { type: string } }>('/:type', async (request, reply) => {
    if (resourceType(request.params.type) !== 'Appointment') throw notAllowed(request.params.type, 'POST');
    accessOf(request).checkCreate('Appointment', request.body);
    const booked = await bookAppointment(store, request.body, now());
    reply.header('Location', `${baseUrl(request)}/Appointment/${booked.id}/_history/${booked.meta?.versionId}`);
    return sendWritten(request, reply, 201, booked, `Booked Appointment/${booked.id}.`);
  });

  app.put<{ Params: { type: string; id: string } }>('/:type/:id', async (request, reply) => {
    if (resourceType(request.params.type) !== 'Appointment') throw notAllowed(request.params.type, 'PUT');
    const id = resourceId('Appointment', request.params.id);
    await accessOf(request).checkUpdate('Appointment', () => store.read('Appointment', id));
    const cancelled = await cancelAppointment(store, id, request.body, request.headers['if-match'], now());
    return sendWritten(request, reply, 200, cancelled, `Cancelled Appointment/${id}.`);
  });

  for (const method of ['DELETE', 'PATCH'] as const) {
    app.route<{ Params: { type: string; id: string } }>({
      method,
      url: '/:type/:id',
      handler: async (request) => {
        throw notAllowed(resourceType(request.params.type), method);
      },
    });
  }
}
