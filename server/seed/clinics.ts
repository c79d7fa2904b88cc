/**
 * The demo practices and their clinicians: three clinics in three cities and eight practitioners
 * (GPs, practice nurses and a nurse practitioner). Fixed rather than random, so tests, screenshots
 * and people trying the demo can rely on the same names and ids every time.
 */
import type { CodeableConcept, Location, Practitioner } from 'fhir/r4';
import type { DeliveryChannel } from '../../domain/extensions';
import { HPI_FACILITY_SYSTEM, HPI_PERSON_SYSTEM, MEDICAL_COUNCIL_SYSTEM } from '../../domain/identifiers';
import { NAME_GROUPS } from './names';

/** Same alphabet as the NHI: no I or O, which are too easily read as 1 and 0. */
const HPI_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function hpiCharValue(char: string): number {
  const letter = HPI_LETTERS.indexOf(char);
  return letter >= 0 ? letter + 1 : Number(char);
}

/**
 * The check letter of an HPI facility id FXXNNN-C: weights 7..2 over the six characters (letters
 * A=1..Z=24 without I and O), sum mod 11, and the remainder read back as a letter. Checked against
 * published HPI test facilities (FZZ999-B, FZZ958-K, FZZ960-H, FZZ959-A, FZZ957-H, FZZ961-K).
 * Undefined when the remainder is 0, which has no letter: such a six is never issued.
 */
export function hpiFacilityCheckCharacter(firstSix: string): string | undefined {
  if (!/^F[A-HJ-NP-Z0-9]{2}\d{3}$/.test(firstSix)) return undefined;
  const sum = [...firstSix].reduce((total, char, i) => total + hpiCharValue(char) * (7 - i), 0);
  const remainder = sum % 11;
  return remainder === 0 ? undefined : HPI_LETTERS[remainder - 1];
}

function facilityId(firstSix: string): string {
  const check = hpiFacilityCheckCharacter(firstSix);
  if (!check) throw new Error(`${firstSix} cannot have a valid HPI facility check character`);
  return `${firstSix}-${check}`;
}

export interface DemoClinic {
  id: string;
  name: string;
  /** FZZ... is the range the HPI uses for test facilities. */
  facilityId: string;
  city: string;
  suburb: string;
  street: string;
  postalCode: string;
  phone: string;
  description: string;
}

export const CLINICS: readonly DemoClinic[] = [
  {
    id: 'loc-ponsonby',
    name: 'Ponsonby Family Health',
    facilityId: facilityId('FZZ971'),
    city: 'Auckland',
    suburb: 'Ponsonby',
    street: '202 Ponsonby Road',
    postalCode: '1011',
    phone: '09 376 5120',
    description: 'General practice in inner-city Auckland',
  },
  {
    id: 'loc-karori',
    name: 'Karori Medical Centre',
    facilityId: facilityId('FZZ962'),
    city: 'Wellington',
    suburb: 'Karori',
    street: '250 Karori Road',
    postalCode: '6012',
    phone: '04 476 7345',
    description: 'General practice in western Wellington',
  },
  {
    id: 'loc-riccarton',
    name: 'Riccarton Clinic',
    facilityId: facilityId('FZZ985'),
    city: 'Christchurch',
    suburb: 'Riccarton',
    street: '123 Riccarton Road',
    postalCode: '8011',
    phone: '03 348 0890',
    description: 'General practice and nurse clinic in Christchurch',
  },
];

export type ClinicianRole = 'gp' | 'nurse' | 'nurse-practitioner';

export interface DemoClinician {
  id: string;
  given: string;
  family: string;
  gender: 'male' | 'female';
  role: ClinicianRole;
  /**
   * HPI Common Person Number: two digits and four letters (no I or O). Test CPNs start with 9;
   * the HPI publishes no check rule for them, so these only need to look right and be unique.
   */
  cpn: string;
  /** Medical Council of New Zealand registration number, for doctors only. */
  medicalCouncilNumber?: string;
  clinicId: string;
  /** How every appointment in their schedule is held; in person unless said otherwise. */
  channel?: DeliveryChannel;
  /** False: patients cannot book this schedule online (a few slots a day are released to them). */
  onlineBookable?: boolean;
}

/**
 * Every clinic has a GP and a nurse; the Auckland and Wellington clinics have a second clinician.
 * Dr Tuilagi runs a video clinic and Hine Kereama a telephone clinic, so the demo has each channel;
 * Dr Whitaker's book is kept by reception (not bookable online) but for a few released slots a day.
 */
export const CLINICIANS: readonly DemoClinician[] = [
  {
    id: 'prac-parata',
    given: 'Mere',
    family: 'Parata',
    gender: 'female',
    role: 'gp',
    cpn: '91ZZPM',
    medicalCouncilNumber: '43127',
    clinicId: 'loc-ponsonby',
  },
  {
    id: 'prac-tuilagi',
    given: 'Sione',
    family: 'Tuilagi',
    gender: 'male',
    role: 'gp',
    cpn: '91ZZTS',
    medicalCouncilNumber: '51884',
    clinicId: 'loc-ponsonby',
    channel: 'video',
  },
  {
    id: 'prac-fifita',
    given: 'Ana',
    family: 'Fifita',
    gender: 'female',
    role: 'nurse',
    cpn: '91ZZFA',
    clinicId: 'loc-ponsonby',
  },
  {
    id: 'prac-sharma',
    given: 'Priya',
    family: 'Sharma',
    gender: 'female',
    role: 'gp',
    cpn: '91ZZSP',
    medicalCouncilNumber: '38265',
    clinicId: 'loc-karori',
  },
  {
    id: 'prac-whitaker',
    given: 'James',
    family: 'Whitaker',
    gender: 'male',
    role: 'gp',
    cpn: '91ZZWJ',
    medicalCouncilNumber: '29573',
    clinicId: 'loc-karori',
    onlineBookable: false,
  },
  {
    id: 'prac-kereama',
    given: 'Hine',
    family: 'Kereama',
    gender: 'female',
    role: 'nurse-practitioner',
    cpn: '91ZZKH',
    clinicId: 'loc-karori',
    channel: 'telephone',
  },
  {
    id: 'prac-park',
    given: 'Min-jun',
    family: 'Park',
    gender: 'male',
    role: 'gp',
    cpn: '91ZZPJ',
    medicalCouncilNumber: '60412',
    clinicId: 'loc-riccarton',
  },
  {
    id: 'prac-oconnor',
    given: 'Sarah',
    family: "O'Connor",
    gender: 'female',
    role: 'nurse',
    cpn: '91ZZCS',
    clinicId: 'loc-riccarton',
  },
];

/**
 * Locum GPs beyond the eight named clinicians, for benchmark stores with many schedules: spread
 * over the clinics in turn, named from the patient name pools, with unique test CPNs (9 then a
 * digit and four letters). They have slots but no demo appointments.
 */
export function locumClinicians(count: number): DemoClinician[] {
  const locums: DemoClinician[] = [];
  for (let n = 0; n < count; n++) {
    const group = NAME_GROUPS[n % NAME_GROUPS.length];
    const gender = n % 2 === 0 ? 'female' : 'male';
    const given = group[gender][Math.floor(n / NAME_GROUPS.length) % group[gender].length];
    const family = group.family[Math.floor(n / 2) % group.family.length];
    // Four letters count up in base 24 and the digit carries on from there, skipping the named clinicians' 1.
    let rest = n;
    const letters = Array.from({ length: 4 }, () => {
      const letter = HPI_LETTERS[rest % 24];
      rest = Math.floor(rest / 24);
      return letter;
    }).join('');
    const digit = rest % 10 === 1 ? 0 : rest % 10;
    locums.push({
      id: `prac-locum-${String(n + 1).padStart(5, '0')}`,
      given,
      family,
      gender,
      role: 'gp',
      cpn: `9${digit}${letters}`,
      clinicId: CLINICS[n % CLINICS.length].id,
    });
  }
  return locums;
}

const ROLE_QUALIFICATION: Record<ClinicianRole, string> = {
  gp: 'General practitioner (FRNZCGP)',
  nurse: 'Registered nurse (practice nurse)',
  'nurse-practitioner': 'Nurse practitioner',
};

const SERVICE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/service-type';

/** FHIR R4's service-type codes (the example value set Schedule and Slot bind to), and our words for them. */
const ROLE_SERVICE: Record<ClinicianRole, { code: string; display: string; text: string }> = {
  gp: { code: '124', display: 'General Practice', text: 'General practice consultations' },
  nurse: { code: '59', display: 'Nursing', text: 'Practice nurse appointments' },
  'nurse-practitioner': {
    code: '572',
    display: 'Nurse Practitioner Lead Clinic/s',
    text: 'Nurse practitioner consultations',
  },
};

export function clinicianServiceType(clinician: DemoClinician): CodeableConcept {
  const { code, display, text } = ROLE_SERVICE[clinician.role];
  return { coding: [{ system: SERVICE_TYPE_SYSTEM, code, display }], text };
}

export function clinicianChannel(clinician: DemoClinician): DeliveryChannel {
  return clinician.channel ?? 'in-person';
}

export function scheduleId(practitionerId: string): string {
  return `sched-${practitionerId}`;
}

/**
 * The channel of a demo schedule's slots, by the schedule's id: topping up the slots of a stored
 * schedule goes through here, so new slots have their clinician's channel. In person for a
 * schedule the demo does not know.
 */
export function scheduleChannel(id: string | undefined): DeliveryChannel {
  const clinician = CLINICIANS.find((candidate) => scheduleId(candidate.id) === id);
  return clinician ? clinicianChannel(clinician) : 'in-person';
}

/** "Dr Mere Parata" for doctors; nurses go by their name alone, as they do on a practice website. */
export function clinicianDisplay(clinician: DemoClinician): string {
  return `${clinician.role === 'gp' ? 'Dr ' : ''}${clinician.given} ${clinician.family}`;
}

export function clinicLocation(clinic: DemoClinic): Location {
  return {
    resourceType: 'Location',
    id: clinic.id,
    identifier: [{ use: 'official', system: HPI_FACILITY_SYSTEM, value: clinic.facilityId }],
    status: 'active',
    name: clinic.name,
    description: clinic.description,
    mode: 'instance',
    telecom: [{ system: 'phone', use: 'work', value: clinic.phone }],
    address: {
      use: 'work',
      type: 'physical',
      line: [clinic.street, clinic.suburb],
      city: clinic.city,
      postalCode: clinic.postalCode,
      country: 'NZ',
    },
    // The same hours the demo slots cover.
    hoursOfOperation: [
      { daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'], openingTime: '08:30:00', closingTime: '17:00:00' },
    ],
  };
}

export function clinicianPractitioner(clinician: DemoClinician): Practitioner {
  const identifier: Practitioner['identifier'] = [{ use: 'official', system: HPI_PERSON_SYSTEM, value: clinician.cpn }];
  if (clinician.medicalCouncilNumber) {
    identifier.push({ use: 'official', system: MEDICAL_COUNCIL_SYSTEM, value: clinician.medicalCouncilNumber });
  }
  return {
    resourceType: 'Practitioner',
    id: clinician.id,
    identifier,
    active: true,
    name: [
      {
        use: 'official',
        text: clinicianDisplay(clinician),
        family: clinician.family,
        given: [clinician.given],
        ...(clinician.role === 'gp' ? { prefix: ['Dr'] } : {}),
      },
    ],
    gender: clinician.gender,
    qualification: [{ code: { text: ROLE_QUALIFICATION[clinician.role] } }],
  };
}
