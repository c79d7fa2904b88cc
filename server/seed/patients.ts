/**
 * Demo patients: a few fixed, well-known people that tests and demos can name, then as many
 * generated ones as asked for. Work per patient is constant (a Set guards NHI uniqueness), so
 * 50,000 patients take well under a second.
 */
import type { ContactPoint, Patient } from 'fhir/r4';
import { NHI_SYSTEM } from '../../domain/identifiers';
import { nhiCheckCharacter } from '../../domain/nhi';
import { NAME_GROUPS, type NameGroup } from './names';
import { CITIES, emailAddress, homeAddress, mobileNumber, type City } from './places';
import { createRandom, deriveSeed, type Random } from './random';

/** A patient plus what the appointment generator needs to know about them. */
export interface DemoPatient {
  resource: Patient;
  display: string;
  city: string;
  /** Whole years on the seed's "today". */
  age: number;
}

interface KnownPatient {
  given: string[];
  family: string;
  gender: Patient['gender'];
  birthDate: string;
  nhi: string;
  city: string;
}

/**
 * The first patients, always the same whatever the seed: each covers something search and display
 * must get right (macrons, a two-word surname, a hyphenated surname, the new NHI format).
 */
export const KNOWN_PATIENTS: readonly KnownPatient[] = [
  { given: ['Aroha'], family: 'Ngata', gender: 'female', birthDate: '1984-07-19', nhi: 'ZAC5361', city: 'Auckland' },
  { given: ['Hēmi'], family: 'Te Rangi', gender: 'male', birthDate: '1971-11-03', nhi: 'ZBN77VL', city: 'Wellington' },
  {
    given: ['Emily', 'Rose'],
    family: 'Harrison-Clarke',
    gender: 'female',
    birthDate: '1996-02-29',
    nhi: 'ZHC4839',
    city: 'Christchurch',
  },
  { given: ['Tāne'], family: 'Pōmare', gender: 'male', birthDate: '2021-09-12', nhi: 'ZTP20XR', city: 'Auckland' },
  {
    given: ['Maria', 'Luz'],
    family: 'Dela Cruz',
    gender: 'female',
    birthDate: '1958-05-08',
    nhi: 'ZMD1531',
    city: 'Auckland',
  },
];

export function patientId(index: number): string {
  return `pat-${String(index + 1).padStart(5, '0')}`;
}

const NHI_LETTERS = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];

/**
 * A fresh test NHI (first letter Z): about two in three in the old AAANNNC format and the rest in
 * the AAANNAX format issued from July 2026, so both get exercised. Retries the few sixes that can
 * have no check character and any value already used.
 */
function uniqueNhi(random: Random, used: Set<string>): string {
  for (;;) {
    const letters = 'Z' + random.pick(NHI_LETTERS) + random.pick(NHI_LETTERS);
    const firstSix = random.chance(0.65)
      ? letters + String(random.int(0, 999)).padStart(3, '0')
      : letters + String(random.int(0, 99)).padStart(2, '0') + random.pick(NHI_LETTERS);
    const check = nhiCheckCharacter(firstSix);
    if (check === undefined) continue;
    const nhi = firstSix + check;
    if (used.has(nhi)) continue;
    used.add(nhi);
    return nhi;
  }
}

const DAY_MS = 86_400_000;

function utcDays(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function patientResource(
  id: string,
  nhi: string,
  given: string[],
  family: string,
  gender: Patient['gender'],
  birthDate: string,
): Patient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ use: 'official', system: NHI_SYSTEM, value: nhi }],
    active: true,
    name: [{ use: 'official', text: `${given.join(' ')} ${family}`, family, given }],
    gender,
    birthDate,
  };
}

/** Well-known patients always get a phone (adults) and an address, so the demo shows both. */
function contactDetails(random: Random, patient: Patient, city: City, age: number, wellKnown: boolean): void {
  const [name] = patient.name ?? [];
  const telecom: ContactPoint[] = [];
  // Young children are reached through their parents, so they carry no phone of their own.
  if (age >= 14 && (wellKnown || random.chance(0.85))) telecom.push(mobileNumber(random));
  if (age >= 16 && random.chance(0.35)) telecom.push(emailAddress(name.given?.[0] ?? '', name.family ?? '', random));
  if (telecom.length > 0) patient.telecom = telecom;
  if (wellKnown || random.chance(0.95)) patient.address = [homeAddress(random, city)];
}

function randomNames(random: Random, group: NameGroup, gender: Patient['gender']): { given: string[]; family: string } {
  const pool =
    gender === 'male'
      ? group.male
      : gender === 'female'
        ? group.female
        : random.chance(0.5)
          ? group.male
          : group.female;
  const given = [random.pick(pool)];
  if (group.middleNames && random.chance(0.3)) {
    const middle = random.pick(pool);
    if (middle !== given[0]) given.push(middle);
  }
  return { given, family: random.pick(group.family) };
}

export function buildPatients(count: number, today: string, random: Random): DemoPatient[] {
  const used = new Set(KNOWN_PATIENTS.map((known) => known.nhi));
  const todayDays = utcDays(today);
  const patients: DemoPatient[] = [];
  for (let index = 0; index < count; index++) {
    const known = KNOWN_PATIENTS[index];
    let resource: Patient;
    let city: City;
    if (known) {
      resource = patientResource(patientId(index), known.nhi, known.given, known.family, known.gender, known.birthDate);
      city = CITIES.find((candidate) => candidate.name === known.city) ?? CITIES[0];
    } else {
      const group = random.weighted(NAME_GROUPS, (candidate) => candidate.weight);
      const roll = random.next();
      const gender: Patient['gender'] = roll < 0.01 ? 'other' : roll < 0.505 ? 'female' : 'male';
      const { given, family } = randomNames(random, group, gender);
      // Ages 0 to 95 on the seed's today, any day of the year.
      const birthDate = new Date((todayDays - random.int(0, 96 * 365 - 1)) * DAY_MS).toISOString().slice(0, 10);
      resource = patientResource(patientId(index), uniqueNhi(random, used), given, family, gender, birthDate);
      city = random.weighted(CITIES, (candidate) => candidate.weight);
    }
    const age = ageOn(resource.birthDate as string, today);
    // Well-known patients draw their phone and address from their own fixed stream: the same for every seed.
    contactDetails(
      known ? createRandom(deriveSeed(0, resource.id as string)) : random,
      resource,
      city,
      age,
      known !== undefined,
    );
    patients.push({ resource, display: resource.name?.[0]?.text ?? (resource.id as string), city: city.name, age });
  }
  return patients;
}
