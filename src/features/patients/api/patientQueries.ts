import { queryOptions } from '@tanstack/react-query';
import type { Patient } from 'fhir/r4';
import { NHI_SYSTEM } from '../../../../domain/identifiers';
import { checkNhi, looksLikeNhi } from '../../../../domain/nhi';
import { bundleResources, type FhirClient, type SearchParams } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';
import { hasMore } from '../../../lib/searchAll';

/** What the receptionist typed, read as an NHI, a birth date or a name. */
export type PatientSearchTerm =
  | { kind: 'none' }
  | { kind: 'invalid'; message: string }
  | { kind: 'nhi'; value: string }
  | { kind: 'birthdate'; value: string }
  | { kind: 'name'; value: string };

const MIN_NAME_LENGTH = 2;
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function birthDate(year: number, month: number, day: number): PatientSearchTerm {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return {
      kind: 'invalid',
      message: 'That is not a real date. Write a birth date as day/month/year, like 19/07/1984.',
    };
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return { kind: 'birthdate', value: `${year}-${pad(month)}-${pad(day)}` };
}

/**
 * What an NHI typed the way people read one out looks like once its spaces and hyphens are gone
 * ("ZAC 5361", "zac-5361"): names have no digits, so anything with one is taken as written together.
 */
export function compactNhi(input: string): string {
  const text = input.trim();
  return /\d/.test(text) ? text.replace(/[\s-]+/g, '') : text;
}

export function interpretPatientSearch(input: string): PatientSearchTerm {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return { kind: 'none' };
  if (looksLikeNhi(compactNhi(text))) {
    const nhi = checkNhi(compactNhi(text));
    return nhi.valid
      ? { kind: 'nhi', value: nhi.normalised }
      : { kind: 'invalid', message: nhi.message ?? 'That is not a valid NHI.' };
  }
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) return birthDate(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
  const iso = ISO_DATE.exec(text);
  if (iso) return birthDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (/^[\d/.-]+$/.test(text))
    return { kind: 'invalid', message: 'Write a birth date as day/month/year, like 19/07/1984.' };
  if (text.length < MIN_NAME_LENGTH) return { kind: 'none' };
  return { kind: 'name', value: text };
}

function searchParams(term: Extract<PatientSearchTerm, { value: string }>): SearchParams {
  if (term.kind === 'nhi') return [['identifier', `${NHI_SYSTEM}|${term.value}`]];
  if (term.kind === 'birthdate') return [['birthdate', term.value]];
  return [['name', term.value]];
}

export const PATIENT_RESULT_LIMIT = 20;

export const patientQueries = {
  search: (client: FhirClient, term: Extract<PatientSearchTerm, { value: string }>) =>
    queryOptions({
      queryKey: queryKeys.patients.search(term),
      queryFn: async ({ signal }) => {
        const bundle = await client.search(
          'Patient',
          [...searchParams(term), ['_count', String(PATIENT_RESULT_LIMIT)]],
          signal,
        );
        return { patients: bundleResources<Patient>(bundle).matches, total: bundle.total, more: hasMore(bundle) };
      },
      staleTime: 30_000,
    }),
  detail: (client: FhirClient, id: string) =>
    queryOptions({
      queryKey: queryKeys.patients.detail(id),
      queryFn: async ({ signal }) => (await client.read<Patient>('Patient', id, signal)).resource,
      staleTime: 5 * 60_000,
    }),
};

export function patientNhi(patient: Patient): string | undefined {
  return patient.identifier?.find((identifier) => identifier.system === NHI_SYSTEM)?.value;
}
