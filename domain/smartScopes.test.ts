import { describe, expect, it } from 'vitest';
import {
  formatResourceScope,
  intersectScopes,
  parseResourceScope,
  permits,
  resourceScopes,
  scopeList,
} from './smartScopes';

const format = (scopes: ReturnType<typeof resourceScopes>) => scopes.map(formatResourceScope);

describe('parseResourceScope', () => {
  it('reads SMART v2 scopes with their permission letters', () => {
    expect(parseResourceScope('patient/Appointment.cruds')).toEqual({
      context: 'patient',
      resourceType: 'Appointment',
      permissions: ['c', 'r', 'u', 'd', 's'],
    });
    expect(parseResourceScope('user/*.rs')).toEqual({ context: 'user', resourceType: '*', permissions: ['r', 's'] });
    expect(parseResourceScope('system/Slot.s')).toEqual({
      context: 'system',
      resourceType: 'Slot',
      permissions: ['s'],
    });
  });

  it('reads SMART v1 scopes as their v2 equivalents', () => {
    expect(format(resourceScopes('user/*.* patient/Patient.read user/Appointment.write'))).toEqual([
      'user/*.cruds',
      'patient/Patient.rs',
      'user/Appointment.cud',
    ]);
  });

  it('ignores scopes that are not resource scopes or cannot be honoured exactly', () => {
    for (const scope of [
      'launch',
      'launch/patient',
      'openid',
      'fhirUser',
      'offline_access',
      'patient/Appointment.rsc',
      'patient/Appointment.',
      'patient/Appointment.rs?status=booked',
      'clinic/Appointment.rs',
      'patient/appointment.rs',
      'patient/Appointment.xyz',
    ]) {
      expect(parseResourceScope(scope), scope).toBeUndefined();
    }
  });
});

describe('intersectScopes', () => {
  const allowedForPatients = resourceScopes('patient/Appointment.cruds patient/Patient.rs patient/Slot.rs');

  it('narrows a wildcard request to what is allowed', () => {
    expect(format(intersectScopes(resourceScopes('patient/*.cruds'), allowedForPatients))).toEqual([
      'patient/Appointment.cruds',
      'patient/Patient.rs',
      'patient/Slot.rs',
    ]);
  });

  it('never grants letters that were not asked for or not allowed', () => {
    expect(
      format(intersectScopes(resourceScopes('patient/Appointment.rs patient/Patient.cruds'), allowedForPatients)),
    ).toEqual(['patient/Appointment.rs', 'patient/Patient.rs']);
  });

  it('never crosses contexts: a patient cannot be granted user or system scopes', () => {
    expect(intersectScopes(resourceScopes('user/*.cruds system/*.cruds'), allowedForPatients)).toEqual([]);
  });

  it('keeps a specific type asked for under a wildcard allowance, and merges repeats', () => {
    expect(
      format(
        intersectScopes(
          resourceScopes('user/Appointment.r user/Appointment.s user/Patient.rs'),
          resourceScopes('user/*.cruds'),
        ),
      ),
    ).toEqual(['user/Appointment.rs', 'user/Patient.rs']);
  });
});

describe('permits', () => {
  const granted = resourceScopes('patient/Appointment.rs user/Slot.s');

  it("matches context, type and the interaction's letter", () => {
    expect(permits(granted, 'patient', 'Appointment', 'read')).toBe(true);
    expect(permits(granted, 'patient', 'Appointment', 'vread')).toBe(true);
    expect(permits(granted, 'patient', 'Appointment', 'search')).toBe(true);
    expect(permits(granted, 'patient', 'Appointment', 'create')).toBe(false);
    expect(permits(granted, 'patient', 'Appointment', 'update')).toBe(false);
    expect(permits(granted, 'user', 'Appointment', 'read')).toBe(false);
    expect(permits(granted, 'user', 'Slot', 'search')).toBe(true);
    expect(permits(granted, 'user', 'Slot', 'read')).toBe(false);
  });

  it('lets a wildcard stand for every type', () => {
    expect(permits(resourceScopes('system/*.cruds'), 'system', 'Practitioner', 'delete')).toBe(true);
  });
});

describe('scopeList', () => {
  it('splits on any whitespace and drops repeats', () => {
    expect(scopeList('  openid\tfhirUser openid\nlaunch ')).toEqual(['openid', 'fhirUser', 'launch']);
    expect(scopeList(undefined)).toEqual([]);
  });
});
