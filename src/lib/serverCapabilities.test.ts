import type { CapabilityStatement } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { holdsBookingRules, MEDTECH_IG, serverCapabilities } from './serverCapabilities';

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
