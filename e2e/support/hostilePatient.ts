/**
 * A stored patient whose name is markup, to prove the screens show stored text as text. It has a
 * valid test NHI (Z...), so it can be found by NHI, and no appointments of its own.
 */
import type { Patient } from 'fhir/r4';
import { NHI_SYSTEM } from '../../domain/identifiers';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

export const HOSTILE_PATIENT = {
  id: 'pat-hostile-name',
  /** ZXS123 plus its mod-11 check digit (nhiCheckCharacter('ZXS123')). */
  nhi: 'ZXS1236',
  birthDate: '1990-01-01',
} as const;

export function hostilePatientResource(): Patient {
  return {
    resourceType: 'Patient',
    id: HOSTILE_PATIENT.id,
    active: true,
    identifier: [{ use: 'official', system: NHI_SYSTEM, value: HOSTILE_PATIENT.nhi }],
    name: [{ use: 'official', family: HOSTILE_NAME }],
    gender: 'unknown',
    birthDate: HOSTILE_PATIENT.birthDate,
  };
}
