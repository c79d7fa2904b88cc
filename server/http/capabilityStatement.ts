import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceInteraction,
  CapabilityStatementRestSecurity,
} from 'fhir/r4';
import { CANONICAL_BASE, OWN_EXTENSIONS } from '../../domain/extensions';
import { OPERATION_DEFINITIONS } from './conformance';
import { supportedIncludes, supportedSearchParameters, supportedSortKeys } from '../search/parseSearch';
import { searchParameterDefinition } from '../search/searchParameterDefinitions';
import type { SearchableType } from '../storage/searchSpec';

const SEARCH_TYPES: Record<string, string> = {
  _id: 'token',
  name: 'string',
  family: 'string',
  given: 'string',
  birthdate: 'date',
  identifier: 'token',
  status: 'token',
  start: 'date',
  date: 'date',
  channel: 'token',
  'service-type': 'token',
};

/** The types with `_history` on the type: those people change (the rest are loaded, not edited). */
export const HISTORY_TYPES: readonly SearchableType[] = ['Appointment'];

const APPOINTMENT_WRITES: CapabilityStatementRestResourceInteraction[] = [
  {
    code: 'create',
    documentation:
      'Books: POST a proposed Appointment; stored as booked (the medTech page). With If-None-Exist (a search query) it is ' +
      'conditional, decided in the booking transaction: no match books, one match is answered 200 with it and nothing is booked, more than one is 412.',
  },
  {
    code: 'update',
    documentation: 'Cancels only: PUT it back with status cancelled and nothing else changed (the medTech page).',
  },
  {
    code: 'patch',
    documentation:
      'JSON Patch (application/json-patch+json) of one replace of /status, with If-Match: booked -> arrived -> fulfilled, booked -> noshow, ' +
      'and arrived -> booked or noshow -> booked to undo a mark on the same clinic day. Anything else is 422.',
  },
];

function resource(type: SearchableType, writable: boolean, documentation: string): CapabilityStatementRestResource {
  return {
    type,
    documentation: `${documentation} _sort by ${supportedSortKeys(type).join(', ')} (a leading - for descending).`,
    interaction: [
      { code: 'read', documentation: 'With If-None-Match (its ETag) or If-Modified-Since: 304 when unchanged.' },
      { code: 'vread' },
      { code: 'history-instance', documentation: `GET ${type}/{id}/_history: every version, newest first.` },
      ...(HISTORY_TYPES.includes(type)
        ? [
            {
              code: 'history-type' as const,
              documentation: `GET ${type}/_history: every version of every ${type}, newest first.`,
            },
          ]
        : []),
      { code: 'search-type' },
      ...(writable ? APPOINTMENT_WRITES : []),
    ],
    versioning: 'versioned',
    readHistory: true,
    updateCreate: false,
    conditionalCreate: writable,
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    searchInclude: supportedIncludes(type),
    searchParam: supportedSearchParameters(type).map((name) => ({
      name,
      // Undefined (left out of the JSON) for the parameters the base spec defines as their name says.
      definition: searchParameterDefinition(type, name),
      type: (SEARCH_TYPES[name] ?? 'reference') as 'token',
    })),
    ...(writable
      ? {
          operation: OPERATION_DEFINITIONS.map((definition) => ({
            name: definition.code,
            definition: definition.url as string,
            documentation: definition.description,
          })),
        }
      : {}),
  };
}

/** The emails about appointments (the outbox), read-only: communicationRoutes.ts. */
const COMMUNICATION: CapabilityStatementRestResource = {
  type: 'Communication',
  documentation:
    'The emails booking, rescheduling and cancelling send the patient (confirmation, new time, cancellation, reminder), read-only, newest first: ' +
    'status preparation (not yet due), in-progress (due, or waiting for a mail server), completed (sent), stopped (refused), not-done (withdrawn, or the patient has no email address). ' +
    'Search by patient and about (Appointment/{id}); patients see only their own.',
  interaction: [{ code: 'read' }, { code: 'search-type' }],
  versioning: 'no-version',
  readHistory: false,
  updateCreate: false,
  conditionalCreate: false,
  conditionalUpdate: false,
  conditionalDelete: 'not-supported',
  searchParam: [
    { name: 'patient', type: 'reference' },
    { name: 'about', type: 'reference' },
  ],
};

/** SMART on FHIR: the service, and where to authorize and get tokens (the SMART oauth-uris extension). */
function security(oauth: { authorize: string; token: string }): CapabilityStatementRestSecurity {
  return {
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
        text: 'OAuth2 using SMART-on-FHIR profile',
      },
    ],
    description:
      'Every interaction but this CapabilityStatement and the SMART configuration needs a bearer token from the authorization server; see [base]/.well-known/smart-configuration.',
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'authorize', valueUri: oauth.authorize },
          { url: 'token', valueUri: oauth.token },
        ],
      },
    ],
  };
}

/** What this server really implements; kept beside the routes so it cannot drift far from them. */
export function capabilityStatement(
  baseUrl: string,
  software: { name: string; version: string },
  oauth: { authorize: string; token: string },
): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-24',
    kind: 'instance',
    publisher: 'nz-appointments',
    software,
    implementation: {
      description: 'Embedded FHIR R4 server for the medTech IG Patient Appointments use case',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    instantiates: ['http://hl7.org.nz/fhir/ig/medtech'],
    rest: [
      {
        mode: 'server',
        security: security(oauth),
        documentation:
          'Appointments are booked by POSTing a proposed Appointment (stored as booked) and cancelled by PUTting it back ' +
          'with status cancelled and nothing else changed. DELETE is not supported (405). After booking: PATCH /status marks arrivals and ' +
          'attendance, $cancel cancels with a reason, $reschedule moves an appointment in one step; every write records a Provenance ' +
          `(GET Provenance?target=Appointment/{id}). Our extensions are under ${CANONICAL_BASE}, each with a StructureDefinition readable at ` +
          `[base]/StructureDefinition/{id}: ${Object.keys(OWN_EXTENSIONS).join(', ')}. ` +
          'Searches take _count and _offset (paging), _sort (the keys each resource names), _include (those listed), ' +
          '_summary=count (the total, no entries) and _elements (the elements named and the mandatory ones, tagged SUBSETTED); ' +
          'a parameter not supported is left out of the self link, or refused (400) under Prefer: handling=strict. ' +
          'Reads and searches answer 304 to an If-None-Match naming their ETag.',
        resource: [
          resource(
            'Patient',
            false,
            'Read and search patients by name, family, given, birthdate and identifier (a bare value is an NHI).',
          ),
          resource('Practitioner', false, 'Read and search practitioners by name, family and identifier (HPI CPN).'),
          resource('Location', false, 'Read and search locations by name and identifier (HPI facility id).'),
          resource('Schedule', false, 'Read and search schedules by actor and service-type.'),
          resource(
            'Slot',
            false,
            'Search slots by schedule, start, status, channel (in-person, telephone, video) and service-type; without start the next 7 days.',
          ),
          resource(
            'Appointment',
            true,
            'Create (status proposed, stored as booked), read, search, update only to cancel, patch the status, history, $cancel and $reschedule.',
          ),
          resource(
            'Provenance',
            false,
            "Who did what: one per write of an appointment. Search by target (Appointment/{id}) or patient; patients see only their own appointments' records.",
          ),
          COMMUNICATION,
        ],
      },
    ],
  };
}
