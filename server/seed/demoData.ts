/**
 * Deterministic, realistic New Zealand demo data as plain FHIR R4 resources: patients with test
 * NHIs, three clinics, their practitioners and schedules, free slots for the coming weeks and a
 * mix of future and past appointments. Same options (and seed) => the same resources, byte for
 * byte, so tests and benchmarks can name ids. Nothing here touches storage.
 */
import type { Appointment, Location, Patient, Practitioner, Schedule, Slot } from 'fhir/r4';
import { addClinicDays, clinicInstant, toFhirInstant } from '../../domain/clinicTime';
import { buildAppointments } from './appointments';
import { onlineBookableExtension, type DeliveryChannel } from '../../domain/extensions';
import {
  CLINICIANS,
  CLINICS,
  clinicianChannel,
  clinicianDisplay,
  clinicianPractitioner,
  clinicianServiceType,
  clinicLocation,
  locumClinicians,
  scheduleId,
  type DemoClinician,
} from './clinics';
import { buildPatients } from './patients';
import { createRandom, deriveSeed } from './random';
import { slotsForSchedule } from './slots';

export { scheduleId } from './clinics';
export { slotId, slotsForSchedule } from './slots';

export interface DemoDataOptions {
  /** The clinic's today (YYYY-MM-DD): slots start on it, appointments fall either side of it. */
  today: string;
  timeZone: string;
  seed?: number;
  /** Default 60. */
  patients?: number;
  /** How many weeks of slots, from today. Default 8. */
  weeks?: number;
  /** Practitioners with schedules and slots: the eight named clinicians, then locums. Default 8. */
  practitioners?: number;
}

export interface DemoData {
  patients: Patient[];
  practitioners: Practitioner[];
  locations: Location[];
  schedules: Schedule[];
  slots: Slot[];
  appointments: Appointment[];
}

export const DEFAULT_SEED = 20_260_701;
export const DEFAULT_PATIENTS = 60;
export const DEFAULT_WEEKS = 8;

/** Ids and identifiers that are the same whatever the seed, for tests and demos to rely on. */
export const WELL_KNOWN = {
  /** Aroha Ngata, NHI ZAC5361 (old format): always has future booked, future cancelled and past appointments. */
  patient: { id: 'pat-00001', nhi: 'ZAC5361', given: 'Aroha', family: 'Ngata' },
  /** Hēmi Te Rangi, NHI ZBN77VL (new format): a macron and a two-word surname. */
  patientWithMacron: { id: 'pat-00002', nhi: 'ZBN77VL', given: 'Hēmi', family: 'Te Rangi' },
  /** Emily Rose Harrison-Clarke: a hyphenated surname and two given names. */
  patientHyphenated: { id: 'pat-00003', given: 'Emily', family: 'Harrison-Clarke' },
  /** Dr Mere Parata, GP at Ponsonby Family Health; Aroha Ngata's usual GP's clinic. */
  practitioner: { id: 'prac-parata', cpn: '91ZZPM', schedule: 'sched-prac-parata' },
  /** Dr Sione Tuilagi's schedule at Ponsonby: video consultations only. */
  videoSchedule: 'sched-prac-tuilagi',
  /** Hine Kereama's schedule at Karori: telephone consultations only. */
  telephoneSchedule: 'sched-prac-kereama',
  /** Dr James Whitaker's schedule at Karori: not bookable online, but for its first two slots each day. */
  notOnlineBookableSchedule: 'sched-prac-whitaker',
  location: { id: 'loc-ponsonby', name: 'Ponsonby Family Health' },
} as const;

const CHANNEL_WORDS: Record<DeliveryChannel, string> = {
  'in-person': '15-minute appointments',
  telephone: '15-minute telephone consultations',
  video: '15-minute video consultations',
};

function scheduleFor(clinician: DemoClinician, today: string, horizonEnd: string, timeZone: string): Schedule {
  const clinic = CLINICS.find((c) => c.id === clinician.clinicId);
  const bookableOnline = clinician.onlineBookable ?? true;
  return {
    resourceType: 'Schedule',
    id: scheduleId(clinician.id),
    // Marked only where it is not bookable online: unmarked schedules are (domain.md).
    ...(bookableOnline ? {} : { extension: [onlineBookableExtension(false)] }),
    active: true,
    serviceType: [clinicianServiceType(clinician)],
    actor: [
      { reference: `Practitioner/${clinician.id}`, display: clinicianDisplay(clinician) },
      { reference: `Location/${clinician.clinicId}`, display: clinic?.name },
    ],
    // The horizon the seed filled; a later start adds slots beyond it without changing this.
    planningHorizon: {
      start: toFhirInstant(clinicInstant(today, '00:00', timeZone), timeZone),
      end: toFhirInstant(clinicInstant(horizonEnd, '00:00', timeZone), timeZone),
    },
    comment:
      `${CHANNEL_WORDS[clinicianChannel(clinician)]}, Monday to Friday 8:30am to 5pm, ${clinic?.name ?? 'clinic'}` +
      (bookableOnline ? '' : '; book by phoning the clinic (a few times each day can be booked online)'),
  };
}

export function buildDemoData(options: DemoDataOptions): DemoData {
  const { today, timeZone } = options;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be a clinic date YYYY-MM-DD, not "${today}"`);
  const seed = options.seed ?? DEFAULT_SEED;
  const patientCount = options.patients ?? DEFAULT_PATIENTS;
  const weeks = options.weeks ?? DEFAULT_WEEKS;
  const horizonEnd = addClinicDays(today, weeks * 7);

  const patients = buildPatients(patientCount, today, createRandom(deriveSeed(seed, 'patients')));
  const practitionerCount = options.practitioners ?? CLINICIANS.length;
  if (!Number.isInteger(practitionerCount) || practitionerCount < CLINICIANS.length)
    throw new Error(`practitioners must be at least ${CLINICIANS.length}, not ${practitionerCount}`);
  const clinicians = [...CLINICIANS, ...locumClinicians(practitionerCount - CLINICIANS.length)];
  const schedules = clinicians.map((clinician) => scheduleFor(clinician, today, horizonEnd, timeZone));

  const slots: Slot[] = [];
  const futureSlots = new Map<string, Slot[]>();
  // Slots after today only: today's earlier ones may already be over when the seed runs.
  const tomorrow = addClinicDays(today, 1);
  clinicians.forEach((clinician, i) => {
    const own = slotsForSchedule(schedules[i], today, horizonEnd, timeZone);
    for (const slot of own) slots.push(slot);
    futureSlots.set(
      clinician.id,
      own.filter((slot) => (slot.start as string).slice(0, 10) >= tomorrow),
    );
  });

  const appointments = buildAppointments({
    patients,
    futureSlots,
    today,
    pastWeeks: Math.max(weeks, 4),
    timeZone,
    random: createRandom(deriveSeed(seed, 'appointments')),
  });

  return {
    patients: patients.map((patient) => patient.resource),
    practitioners: clinicians.map(clinicianPractitioner),
    locations: CLINICS.map(clinicLocation),
    schedules,
    slots,
    appointments,
  };
}
