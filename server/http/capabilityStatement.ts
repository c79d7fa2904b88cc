import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestSecurity } from 'fhir/r4';
import { supportedIncludes, supportedSearchParameters } from '../search/parseSearch';
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

function resource(type: SearchableType, writable: boolean, documentation: string): CapabilityStatementRestResource {
  return {
    type,
    documentation,
    interaction: [
      { code: 'read' },
      { code: 'vread' },
      { code: 'search-type' },
      ...(writable ? [{ code: 'create' as const }, { code: 'update' as const }] : []),
    ],
    versioning: 'versioned',
    readHistory: false,
    updateCreate: false,
    conditionalCreate: false,
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    searchInclude: supportedIncludes(type),
    searchParam: supportedSearchParameters(type).map((name) => ({
      name,
      // Undefined (left out of the JSON) for the parameters the base spec defines as their name says.
      definition: searchParameterDefinition(type, name),
      type: (SEARCH_TYPES[name] ?? 'reference') as 'token',
    })),
  };
}

/** SMART on FHIR: the service, and where to authorize and get tokens (the SMART oauth-uris extension). */
function security(oauth: { authorize: string; token: string }): CapabilityStatementRestSecurity {
  return {
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }], text: 'OAuth2 using SMART-on-FHIR profile' }],
    description: 'Every interaction but this CapabilityStatement and the SMART configuration needs a bearer token from the authorization server; see [base]/.well-known/smart-configuration.',
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
export function capabilityStatement(baseUrl: string, software: { name: string; version: string }, oauth: { authorize: string; token: string }): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-24',
    kind: 'instance',
    publisher: 'nz-appointments',
    software,
    implementation: { description: 'Embedded FHIR R4 server for the medTech IG Patient Appointments use case', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    instantiates: ['http://hl7.org.nz/fhir/ig/medtech'],
    rest: [
      {
        mode: 'server',
        security: security(oauth),
        documentation:
          'Appointments are booked by POSTing a proposed Appointment (stored as booked) and cancelled by PUTting it back ' +
          'with status cancelled and nothing else changed. DELETE is not supported (405).',
        resource: [
          resource('Patient', false, 'Read and search patients by name, family, given, birthdate and identifier (a bare value is an NHI).'),
          resource('Practitioner', false, 'Read and search practitioners by name, family and identifier (HPI CPN).'),
          resource('Location', false, 'Read and search locations by name and identifier (HPI facility id).'),
          resource('Schedule', false, 'Read and search schedules by actor and service-type.'),
          resource('Slot', false, 'Search slots by schedule, start, status, channel (in-person, telephone, video) and service-type; without start the next 7 days.'),
          resource('Appointment', true, 'Create (status proposed, stored as booked), read, search, and update only to cancel.'),
        ],
      },
    ],
  };
}
