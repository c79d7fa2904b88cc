import { QueryClient } from '@tanstack/react-query';
import type { CapabilityStatement } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFhirClient } from './fhirClient';
import { capabilitiesQuery, holdsBookingRules, MEDTECH_IG, serverCapabilities } from './serverCapabilities';

const statement: CapabilityStatement = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-11-29',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [
    { mode: 'client', resource: [{ type: 'Appointment', interaction: [{ code: 'delete' }] }] },
    {
      mode: 'server',
      resource: [
        {
          type: 'Appointment',
          interaction: [{ code: 'read' }, { code: 'patch' }],
          operation: [{ name: 'cancel', definition: 'http://example.org/OperationDefinition/cancel' }],
          searchParam: [{ name: 'location', type: 'reference' }],
        },
      ],
    },
  ],
};

describe('serverCapabilities', () => {
  it("reads the server's declared interactions, operations (with or without $) and search parameters", () => {
    const declared = serverCapabilities(statement);
    expect(declared.supportsInteraction('Appointment', 'patch')).toBe(true);
    expect(declared.supportsOperation('Appointment', 'cancel')).toBe(true);
    expect(declared.supportsOperation('Appointment', 'reschedule')).toBe(false);
    expect(declared.supportsSearchParam('Appointment', 'location')).toBe(true);
    expect(declared.supportsSearchParam('Slot', 'location')).toBe(false);
  });

  it('ignores what a client mode declares, and declares nothing when there is no statement', () => {
    expect(serverCapabilities(statement).supportsInteraction('Appointment', 'delete')).toBe(false);
    const nothing = serverCapabilities(undefined);
    expect(nothing.supportsInteraction('Appointment', 'patch')).toBe(false);
    expect(nothing.supportsOperation('Appointment', 'cancel')).toBe(false);
  });
});

describe('holdsBookingRules', () => {
  it('is true where the server instantiates the medTech IG or names it as an implementation guide, else false', () => {
    expect(holdsBookingRules({ ...statement, instantiates: [MEDTECH_IG] })).toBe(true);
    expect(
      holdsBookingRules({ ...statement, implementationGuide: [`${MEDTECH_IG}/ImplementationGuide/x|0.1.0`] }),
    ).toBe(true);
    expect(holdsBookingRules({ ...statement, instantiates: ['http://hl7.org.nz/fhir/ig/medtech-other'] })).toBe(false);
    expect(holdsBookingRules(statement)).toBe(false);
    expect(holdsBookingRules(undefined)).toBe(false);
  });
});

describe('capabilitiesQuery', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("holds each server's statement under its own base, and asks each server once", async () => {
    const asked: string[] = [];
    const declaring = (base: string, operation: string) =>
      http.get(`${base}/metadata`, () => {
        asked.push(base);
        return HttpResponse.json({
          ...statement,
          rest: [
            { mode: 'server', resource: [{ type: 'Appointment', operation: [{ name: operation, definition: '' }] }] },
          ],
        });
      });
    server.use(declaring('http://ours.test/fhir', 'cancel'), declaring('http://other.test/r4', 'reschedule'));
    const queryClient = new QueryClient();
    const ask = (base: string) =>
      queryClient.fetchQuery(capabilitiesQuery(createFhirClient(base, null, 'http://app.test/'), base));

    await ask('http://ours.test/fhir');
    const other = await ask('http://other.test/r4');
    await ask('http://ours.test/fhir');
    expect(other.rest?.[0].resource?.[0].operation?.[0].name).toBe('reschedule');
    expect(asked).toEqual(['http://ours.test/fhir', 'http://other.test/r4']);
  });
});
