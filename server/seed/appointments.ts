/**
 * Demo appointments: booked ones in the coming weeks (their slots marked busy), a few future ones
 * already cancelled (their slots left free, as cancelling frees a slot), and a history of
 * fulfilled, cancelled and no-show visits in the past weeks.
 *
 * Each practitioner's free slots are a pool that appointments are drawn from without replacement
 * (swap-remove, O(1)), so no slot is used twice and no practitioner is ever double-booked. When
 * there are many patients, each patient's chance of an appointment is scaled down so the clinics
 * stay at most about half full and the work stays linear in the number of patients.
 */
import type { Appointment, CodeableConcept, Slot } from 'fhir/r4';
import { addClinicDays } from '../../domain/clinicTime';
import { deliveryChannelExtension } from '../../domain/extensions';
import {
  CLINICIANS,
  CLINICS,
  clinicianChannel,
  clinicianDisplay,
  clinicianServiceType,
  type DemoClinician,
} from './clinics';
import type { DemoPatient } from './patients';
import type { Random } from './random';
import { clinicDayClock, clinicWeekdays, SLOT_TIMES } from './slots';

/** Share of each practitioner's future slots that stay free whatever the patient count. */
const KEEP_FREE = 0.4;
/** Share of each practitioner's past clinic time that ever had an appointment. */
const PAST_FILL = 0.6;

type AppointmentTypeCode = 'ROUTINE' | 'CHECKUP' | 'FOLLOWUP';

const APPOINTMENT_TYPE_DISPLAY: Record<AppointmentTypeCode, string> = {
  ROUTINE: 'Routine appointment - default if not valued',
  CHECKUP: 'A routine check-up, such as an annual physical',
  FOLLOWUP: 'A follow up visit from a previous appointment',
};

interface Reason {
  description: string;
  type: AppointmentTypeCode;
  weight: number;
  /** Who sees patients for this. */
  roles: ReadonlyArray<DemoClinician['role']>;
  suits?: (patient: DemoPatient) => boolean;
  /** Needs the patient in the room (an examination, a needle, a dressing): never by telephone or video. */
  inPerson?: true;
}

const REASONS: readonly Reason[] = [
  { description: 'Standard consultation', type: 'ROUTINE', weight: 10, roles: ['gp', 'nurse-practitioner'] },
  {
    description: 'Repeat prescription review',
    type: 'FOLLOWUP',
    weight: 3,
    roles: ['gp', 'nurse-practitioner'],
    suits: (p) => p.age >= 18,
  },
  { description: 'Follow-up consultation', type: 'FOLLOWUP', weight: 3, roles: ['gp', 'nurse-practitioner'] },
  {
    description: 'Blood pressure check',
    type: 'CHECKUP',
    weight: 2,
    roles: ['gp', 'nurse'],
    suits: (p) => p.age >= 30,
    inPerson: true,
  },
  {
    description: 'Diabetes annual review',
    type: 'CHECKUP',
    weight: 2,
    roles: ['gp', 'nurse-practitioner'],
    suits: (p) => p.age >= 30,
  },
  { description: 'Skin check', type: 'CHECKUP', weight: 1, roles: ['gp'], suits: (p) => p.age >= 18, inPerson: true },
  {
    description: 'Sick child',
    type: 'ROUTINE',
    weight: 4,
    roles: ['gp', 'nurse-practitioner'],
    suits: (p) => p.age < 14,
  },
  {
    description: 'Childhood immunisations',
    type: 'ROUTINE',
    weight: 6,
    roles: ['nurse'],
    suits: (p) => p.age < 5,
    inPerson: true,
  },
  {
    description: 'B4 School Check',
    type: 'CHECKUP',
    weight: 3,
    roles: ['nurse'],
    suits: (p) => p.age === 4,
    inPerson: true,
  },
  {
    description: 'Cervical screening',
    type: 'CHECKUP',
    weight: 3,
    roles: ['nurse', 'nurse-practitioner'],
    suits: (p) => p.resource.gender === 'female' && p.age >= 25 && p.age < 70,
    inPerson: true,
  },
  {
    description: 'Flu vaccination',
    type: 'ROUTINE',
    weight: 3,
    roles: ['nurse'],
    suits: (p) => p.age >= 5,
    inPerson: true,
  },
  { description: 'Wound dressing', type: 'FOLLOWUP', weight: 2, roles: ['nurse'], inPerson: true },
  {
    description: 'Blood test',
    type: 'ROUTINE',
    weight: 2,
    roles: ['nurse'],
    suits: (p) => p.age >= 14,
    inPerson: true,
  },
];

function reasonFor(random: Random, patient: DemoPatient, clinician: DemoClinician): Reason {
  const remote = clinicianChannel(clinician) !== 'in-person';
  const fitting = REASONS.filter(
    (reason) =>
      reason.roles.includes(clinician.role) && (reason.suits?.(patient) ?? true) && !(remote && reason.inPerson),
  );
  // Every role has a reason with no age or sex condition, and the doctors' and nurse practitioners'
  // (the only remote clinics) can be held remotely, so `fitting` is never empty.
  return random.weighted(fitting, (reason) => reason.weight);
}

function appointmentType(code: AppointmentTypeCode): CodeableConcept {
  return {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/v2-0276', code, display: APPOINTMENT_TYPE_DISPLAY[code] },
    ],
  };
}

/** A list that hands out random elements without replacement, in constant time each. */
class Pool<T> {
  private readonly items: T[];
  private readonly floor: number;

  constructor(items: T[], keepFree: number) {
    this.items = items;
    this.floor = Math.ceil(items.length * keepFree);
  }

  get available(): number {
    return Math.max(0, this.items.length - this.floor);
  }

  take(random: Random): T | undefined {
    if (this.available === 0) return undefined;
    const index = random.int(0, this.items.length - 1);
    const item = this.items[index];
    this.items[index] = this.items[this.items.length - 1];
    this.items.pop();
    return item;
  }
}

/** A past 15-minute period of one practitioner: which clinic weekday and which slot of it. */
interface PastTime {
  date: string;
  time: number;
}

export interface AppointmentInput {
  patients: readonly DemoPatient[];
  /** Each practitioner's slots strictly after today (today's may already be over when the seed runs). */
  futureSlots: ReadonlyMap<string, Slot[]>;
  today: string;
  pastWeeks: number;
  timeZone: string;
  random: Random;
}

interface PatientPlan {
  booked: number;
  cancelled: number;
  past: number;
}

/** How many of each kind a patient gets; the first patient always gets some of each. */
function planFor(random: Random, index: number, futureScale: number, pastScale: number): PatientPlan {
  if (index === 0) return { booked: 2, cancelled: 1, past: 3 };
  const thin = (count: number, scale: number) => {
    let kept = 0;
    for (let i = 0; i < count; i++) if (random.chance(scale)) kept++;
    return kept;
  };
  const booked = random.weighted([0, 1, 2, 3], (n) => [35, 40, 18, 7][n]);
  const cancelled = random.chance(0.15) ? 1 : 0;
  const past = random.weighted([0, 1, 2, 3, 4], (n) => [25, 30, 22, 15, 8][n]);
  return { booked: thin(booked, futureScale), cancelled: thin(cancelled, futureScale), past: thin(past, pastScale) };
}

export function buildAppointments(input: AppointmentInput): Appointment[] {
  const { patients, today, timeZone, random } = input;
  const clinicByCity = new Map(CLINICS.map((clinic) => [clinic.city, clinic.id]));
  const clinicNames = new Map(CLINICS.map((clinic) => [clinic.id, clinic.name]));
  const cliniciansAt = new Map(
    CLINICS.map((clinic) => [clinic.id, CLINICIANS.filter((c) => c.clinicId === clinic.id)]),
  );

  const futurePools = new Map(
    CLINICIANS.map((c) => [c.id, new Pool([...(input.futureSlots.get(c.id) ?? [])], KEEP_FREE)]),
  );
  const pastDays = clinicWeekdays(addClinicDays(today, -7 * input.pastWeeks), today);
  const pastPools = new Map(
    CLINICIANS.map((c) => [
      c.id,
      new Pool<PastTime>(
        pastDays.flatMap((date) => SLOT_TIMES.map((_, time) => ({ date, time }))),
        1 - PAST_FILL,
      ),
    ]),
  );

  // Expected appointments per patient (from planFor's weights) against what the clinics can take.
  const futureCapacity = [...futurePools.values()].reduce((sum, pool) => sum + pool.available, 0);
  const pastCapacity = [...pastPools.values()].reduce((sum, pool) => sum + pool.available, 0);
  const futureScale = Math.min(1, (0.8 * futureCapacity) / Math.max(1, patients.length * 1.12));
  const pastScale = Math.min(1, (0.8 * pastCapacity) / Math.max(1, patients.length * 1.51));

  const appointments: Appointment[] = [];
  // One zone conversion per clinic day, not per appointment (see clinicDayClock).
  const clocks = new Map<string, (time: string) => string>();
  const instant = (date: string, time: string) => {
    let clock = clocks.get(date);
    if (!clock) clocks.set(date, (clock = clinicDayClock(date, '00:00', '23:59', timeZone)));
    return clock(time);
  };
  const madeBefore = (date: string) =>
    instant(
      addClinicDays(date, -random.int(1, 28)),
      `${String(random.int(7, 20)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`,
    );
  const cancelled = (status: Appointment['status'], reasons: string[]) =>
    status === 'cancelled' ? { cancelationReason: { text: random.pick(reasons) } } : {};

  patients.forEach((patient, index) => {
    const clinicId = clinicByCity.get(patient.city) ?? random.pick(CLINICS).id;
    const team = cliniciansAt.get(clinicId) ?? [];
    const gps = team.filter((c) => c.role === 'gp');
    const usual = random.pick(gps.length > 0 ? gps : team);
    // Mostly their own GP; otherwise anyone at the clinic (the nurse, for immunisations and smears).
    const chooseClinician = () => (random.chance(0.65) ? usual : random.pick(team));

    const add = (
      clinician: DemoClinician,
      when: Pick<Appointment, 'status' | 'start' | 'end' | 'slot' | 'created' | 'cancelationReason'>,
    ) => {
      const reason = reasonFor(random, patient, clinician);
      appointments.push({
        resourceType: 'Appointment',
        id: `appt-${String(appointments.length + 1).padStart(5, '0')}`,
        // The channel and service of the clinician's schedule, as a booking inherits them from its slot.
        extension: [deliveryChannelExtension(clinicianChannel(clinician))],
        status: when.status,
        ...(when.cancelationReason ? { cancelationReason: when.cancelationReason } : {}),
        serviceType: [clinicianServiceType(clinician)],
        appointmentType: appointmentType(reason.type),
        description: reason.description,
        start: when.start,
        end: when.end,
        minutesDuration: 15,
        ...(when.slot ? { slot: when.slot } : {}),
        created: when.created,
        participant: [
          { actor: { reference: `Patient/${patient.resource.id}`, display: patient.display }, status: 'accepted' },
          {
            actor: { reference: `Practitioner/${clinician.id}`, display: clinicianDisplay(clinician) },
            status: 'accepted',
          },
          {
            actor: { reference: `Location/${clinician.clinicId}`, display: clinicNames.get(clinician.clinicId) },
            status: 'accepted',
          },
        ],
      });
    };

    const future = (status: 'booked' | 'cancelled') => {
      let clinician = chooseClinician();
      let slot = futurePools.get(clinician.id)?.take(random);
      // That practitioner's book is as full as the demo lets it get: try the rest of the team.
      for (const other of team) {
        if (slot) break;
        clinician = other;
        slot = futurePools.get(other.id)?.take(random);
      }
      if (!slot) return;
      // A cancelled appointment leaves its slot free, as cancelling does in the app.
      if (status === 'booked') slot.status = 'busy';
      add(clinician, {
        status,
        start: slot.start,
        end: slot.end,
        slot: [{ reference: `Slot/${slot.id}` }],
        created: madeBefore(today),
        ...cancelled(status, ['Patient cancelled', 'Patient feeling better', 'Clinician unavailable']),
      });
    };

    const past = (status: 'fulfilled' | 'cancelled' | 'noshow') => {
      const clinician = chooseClinician();
      const when = pastPools.get(clinician.id)?.take(random);
      if (!when) return;
      const [startTime, endTime] = SLOT_TIMES[when.time];
      add(clinician, {
        status,
        start: instant(when.date, startTime),
        end: instant(when.date, endTime),
        created: madeBefore(when.date),
        ...cancelled(status, ['Patient cancelled', 'Patient unwell', 'Clinician unavailable']),
      });
    };

    const plan = planFor(random, index, futureScale, pastScale);
    for (let i = 0; i < plan.booked; i++) future('booked');
    for (let i = 0; i < plan.cancelled; i++) future('cancelled');
    for (let i = 0; i < plan.past; i++) {
      // The well-known first patient's first past visit is always a fulfilled one.
      const roll = index === 0 && i === 0 ? 0 : random.next();
      past(roll < 0.78 ? 'fulfilled' : roll < 0.92 ? 'cancelled' : 'noshow');
    }
  });
  return appointments;
}
