import type { Appointment, Resource, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { HPI_FACILITY_SYSTEM, HPI_PERSON_SYSTEM, MEDICAL_COUNCIL_SYSTEM, NHI_SYSTEM } from '../../domain/identifiers';
import { checkNhi } from '../../domain/nhi';
import { addClinicDays, clinicInstant, clinicWeekday, toFhirInstant } from '../../domain/clinicTime';
import { deliveryChannelOf, isOnlineBookable, onlineBookableOf } from '../../domain/extensions';
import { hpiFacilityCheckCharacter } from './clinics';
import { buildDemoData, slotsForSchedule, WELL_KNOWN, type DemoData } from './demoData';

const TZ = 'Pacific/Auckland';
/** A Monday six days before NZDT ends (Sunday 4 April 2027), so the slots straddle the switch. */
const TODAY = '2027-03-29';
const data = buildDemoData({ today: TODAY, timeZone: TZ });

const wallClock = new Intl.DateTimeFormat('en-NZ', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Date and HH:mm of an instant in Auckland, worked out independently of the code under test. */
function inAuckland(instant: string): { date: string; time: string } {
  const parts = Object.fromEntries(wallClock.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function allResources(demo: DemoData): Resource[] {
  return [
    ...demo.patients,
    ...demo.practitioners,
    ...demo.locations,
    ...demo.schedules,
    ...demo.slots,
    ...demo.appointments,
  ];
}

function actorRef(appointment: Appointment, type: string): string | undefined {
  return appointment.participant.find((p) => p.actor?.reference?.startsWith(`${type}/`))?.actor?.reference;
}

function nhiOf(resource: { identifier?: Array<{ system?: string; value?: string }> }): string | undefined {
  return resource.identifier?.find((identifier) => identifier.system === NHI_SYSTEM)?.value;
}

describe('buildDemoData', () => {
  it('gives the same data for the same seed, and different patients for another seed', () => {
    expect(buildDemoData({ today: TODAY, timeZone: TZ })).toEqual(data);
    const other = buildDemoData({ today: TODAY, timeZone: TZ, seed: 7 });
    expect(other.patients[0]).toEqual(data.patients[0]);
    expect(other.patients.slice(10).map((p) => p.name?.[0]?.text)).not.toEqual(
      data.patients.slice(10).map((p) => p.name?.[0]?.text),
    );
  });

  it('keeps earlier patients the same when more are asked for', () => {
    const more = buildDemoData({ today: TODAY, timeZone: TZ, patients: 200 });
    expect(more.patients.slice(0, 60)).toEqual(data.patients);
  });

  it('makes 60 patients, 8 weeks of slots and ids that are unique, valid FHIR ids', () => {
    expect(data.patients).toHaveLength(60);
    expect(data.practitioners.length).toBeGreaterThanOrEqual(6);
    expect(data.locations.length).toBeGreaterThanOrEqual(2);
    expect(data.schedules).toHaveLength(data.practitioners.length);
    // 40 weekdays in 8 weeks, 34 quarter-hours from 08:30 to 17:00.
    expect(data.slots).toHaveLength(data.practitioners.length * 40 * 34);
    const keys = allResources(data).map((r) => `${r.resourceType}/${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const resource of allResources(data)) expect(resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(data.patients[0].id).toBe('pat-00001');
  });

  it('gives every patient a valid, unique test NHI in both formats', () => {
    const nhis = data.patients.map((p) => nhiOf(p) ?? '');
    for (const nhi of nhis) {
      expect(checkNhi(nhi), nhi).toEqual({ valid: true, normalised: nhi });
      expect(nhi.startsWith('Z')).toBe(true);
      expect(nhi).not.toMatch(/[IO]/);
    }
    expect(new Set(nhis).size).toBe(nhis.length);
    expect(nhis.some((nhi) => /^[A-Z]{3}\d{4}$/.test(nhi))).toBe(true);
    expect(nhis.some((nhi) => /^[A-Z]{3}\d{2}[A-Z]{2}$/.test(nhi))).toBe(true);
  });

  it('has plausible patients: names, genders, ages 0-95, NZ mobiles and addresses', () => {
    for (const patient of data.patients) {
      const [name] = patient.name ?? [];
      expect(name.use).toBe('official');
      expect(name.family).toBeTruthy();
      expect(name.given?.length).toBeGreaterThan(0);
      expect(['male', 'female', 'other']).toContain(patient.gender);
      expect(patient.active).toBe(true);
      const age = Number(TODAY.slice(0, 4)) - Number(patient.birthDate?.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThanOrEqual(96);
      expect(patient.birthDate! <= TODAY).toBe(true);
      for (const phone of patient.telecom?.filter((t) => t.system === 'phone') ?? [])
        expect(phone.value).toMatch(/^02[127] \d{3} \d{4}$/);
      for (const address of patient.address ?? []) expect(address.country).toBe('NZ');
    }
  });

  it('gives some patients (adults only) an e-mail address, always at a reserved example domain', () => {
    const emails = data.patients.flatMap((p) =>
      (p.telecom ?? []).filter((t) => t.system === 'email').map((t) => t.value ?? ''),
    );
    expect(emails.length).toBeGreaterThanOrEqual(10);
    expect(emails.length).toBeLessThan(data.patients.length);
    for (const email of emails) expect(email).toMatch(/^[a-z0-9.]+@(example\.(com|org|net)|[a-z0-9.-]+\.example)$/);
    // The well-known first patient can be sent mail; the second cannot, whatever the seed.
    expect(data.patients[0].telecom?.some((t) => t.system === 'email')).toBe(true);
    expect(data.patients[1].telecom?.some((t) => t.system === 'email')).toBe(false);
  });

  it('has the well-known patients search tests rely on', () => {
    const [aroha, hemi, emily] = data.patients;
    expect(aroha).toMatchObject({ id: WELL_KNOWN.patient.id, name: [{ family: 'Ngata', given: ['Aroha'] }] });
    expect(nhiOf(aroha)).toBe('ZAC5361');
    expect(hemi).toMatchObject({
      id: WELL_KNOWN.patientWithMacron.id,
      name: [{ family: 'Te Rangi', given: ['Hēmi'] }],
    });
    expect(nhiOf(hemi)).toBe(WELL_KNOWN.patientWithMacron.nhi);
    expect(emily.name?.[0]?.family).toBe('Harrison-Clarke');

    const ofAroha = data.appointments.filter((a) => actorRef(a, 'Patient') === `Patient/${WELL_KNOWN.patient.id}`);
    const now = clinicInstant(TODAY, '00:00', TZ).getTime();
    expect(ofAroha.some((a) => a.status === 'booked' && new Date(a.start!).getTime() > now)).toBe(true);
    expect(ofAroha.some((a) => a.status === 'cancelled' && new Date(a.start!).getTime() > now)).toBe(true);
    expect(ofAroha.some((a) => a.status === 'fulfilled' && new Date(a.start!).getTime() < now)).toBe(true);
  });

  it('identifies practitioners by HPI CPN (and doctors by council number) and clinics by a valid HPI facility id', () => {
    for (const practitioner of data.practitioners) {
      const cpn = practitioner.identifier?.find((i) => i.system === HPI_PERSON_SYSTEM)?.value;
      expect(cpn).toMatch(/^9\d[A-HJ-NP-Z]{4}$/);
      const isDoctor = practitioner.name?.[0]?.prefix?.includes('Dr') ?? false;
      expect(practitioner.identifier?.some((i) => i.system === MEDICAL_COUNCIL_SYSTEM)).toBe(isDoctor);
      expect(practitioner.active).toBe(true);
    }
    const cpns = data.practitioners.map((p) => p.identifier?.[0]?.value);
    expect(new Set(cpns).size).toBe(cpns.length);
    for (const location of data.locations) {
      const facility = location.identifier?.find((i) => i.system === HPI_FACILITY_SYSTEM)?.value ?? '';
      expect(facility).toMatch(/^F[A-Z0-9]{2}\d{3}-[A-Z]$/);
      expect(hpiFacilityCheckCharacter(facility.slice(0, 6))).toBe(facility.slice(-1));
      expect(location.status).toBe('active');
    }
    expect(data.locations.find((l) => l.id === WELL_KNOWN.location.id)?.name).toBe(WELL_KNOWN.location.name);
  });

  it('spreads schedules over the clinics, each naming its practitioner and location', () => {
    const locationIds = new Set(data.locations.map((l) => `Location/${l.id}`));
    const used = new Set<string>();
    for (const schedule of data.schedules) {
      const [practitioner, location] = schedule.actor.map((a) => a.reference ?? '');
      expect(schedule.id).toBe(`sched-${practitioner.replace('Practitioner/', '')}`);
      expect(locationIds.has(location)).toBe(true);
      expect(schedule.active).toBe(true);
      used.add(location);
    }
    expect(used.size).toBe(data.locations.length);
  });

  it("gives each schedule a coded service type, and marks only Dr Whitaker's as not bookable online", () => {
    for (const schedule of data.schedules) {
      const [coding] = schedule.serviceType?.[0]?.coding ?? [];
      expect(coding?.system, schedule.id).toBe('http://terminology.hl7.org/CodeSystem/service-type');
      expect(coding?.code).toMatch(/^\d+$/);
      expect(coding?.display).toBeTruthy();
      expect(schedule.serviceType?.[0]?.text).toBeTruthy();
    }
    const notOnline = data.schedules.filter((s) => onlineBookableOf(s) !== undefined);
    expect(notOnline.map((s) => [s.id, onlineBookableOf(s)])).toEqual([[WELL_KNOWN.notOnlineBookableSchedule, false]]);
    expect(
      data.schedules.find((s) => s.id === WELL_KNOWN.practitioner.schedule)?.serviceType?.[0]?.coding?.[0]?.display,
    ).toBe('General Practice');
  });

  it("has in-person, telephone-only and video-only clinics, each slot with its schedule's channel and service type", () => {
    const channels = new Map<string, Set<string | undefined>>();
    const scheduleById = new Map(data.schedules.map((s) => [`Schedule/${s.id}`, s]));
    for (const slot of data.slots) {
      const key = slot.schedule.reference as string;
      channels.set(key, (channels.get(key) ?? new Set()).add(deliveryChannelOf(slot)));
      expect(slot.serviceType).toEqual(scheduleById.get(key)?.serviceType);
    }
    const byChannel = (channel: string) =>
      [...channels]
        .filter(([, found]) => found.size === 1 && found.has(channel))
        .map(([key]) => key.replace('Schedule/', ''));
    expect(byChannel('video')).toEqual([WELL_KNOWN.videoSchedule]);
    expect(byChannel('telephone')).toEqual([WELL_KNOWN.telephoneSchedule]);
    expect(byChannel('in-person')).toHaveLength(data.schedules.length - 2);
    expect(byChannel('in-person')).toContain(WELL_KNOWN.practitioner.schedule);
  });

  it('releases the first two slots of each day of a schedule not bookable online, and only those', () => {
    const scheduleById = new Map(data.schedules.map((s) => [`Schedule/${s.id}`, s]));
    for (const slot of data.slots) {
      const schedule = scheduleById.get(slot.schedule.reference as string);
      const released = slot.start.slice(11, 16) === '08:30' || slot.start.slice(11, 16) === '08:45';
      const expected = schedule?.id === WELL_KNOWN.notOnlineBookableSchedule ? released : true;
      expect(isOnlineBookable(schedule, slot), slot.id).toBe(expected);
      // Only those released slots say anything themselves; the rest follow their schedule.
      expect(onlineBookableOf(slot), slot.id).toBe(
        expected && schedule?.id === WELL_KNOWN.notOnlineBookableSchedule ? true : undefined,
      );
    }
  });
});

describe('slots', () => {
  function checkSlots(slots: Slot[], switchDate: string, before: string, after: string) {
    for (const slot of slots) {
      const start = inAuckland(slot.start);
      const date = start.date;
      expect(clinicWeekday(date), slot.id).toBeLessThanOrEqual(5);
      expect(start.time >= '08:30' && start.time <= '16:45', slot.id).toBe(true);
      expect(new Date(slot.end).getTime() - new Date(slot.start).getTime()).toBe(15 * 60_000);
      expect(slot.start.slice(-6), slot.id).toBe(date < switchDate ? before : after);
      expect(slot.start).toBe(toFhirInstant(clinicInstant(date, start.time, TZ), TZ));
      expect(slot.start.slice(0, 16)).toBe(`${date}T${start.time}`);
    }
  }

  it('covers weekdays 08:30-16:45 clinic time in 15 minutes, with the right offset after NZDT ends', () => {
    checkSlots(data.slots, '2027-04-04', '+13:00', '+12:00');
    const dates = new Set(data.slots.map((s) => s.start.slice(0, 10)));
    expect(dates.has(TODAY)).toBe(true);
    expect(dates.has('2027-04-02')).toBe(true);
    expect(dates.has('2027-04-05')).toBe(true);
    expect(dates.has('2027-04-03') || dates.has('2027-04-04')).toBe(false);
    expect([...dates].every((d) => d >= TODAY && d < addClinicDays(TODAY, 56))).toBe(true);
  });

  it('keeps clinic hours when NZDT starts (last Sunday of September)', () => {
    const spring = buildDemoData({ today: '2027-09-20', timeZone: TZ, patients: 5, weeks: 2 });
    checkSlots(spring.slots, '2027-09-26', '+12:00', '+13:00');
  });

  it('gives the same ids from slotsForSchedule, so topping up the horizon cannot duplicate', () => {
    const horizon = addClinicDays(TODAY, 56);
    for (const schedule of data.schedules) {
      const own = data.slots.filter((s) => s.schedule.reference === `Schedule/${schedule.id}`);
      const again = slotsForSchedule(schedule, TODAY, horizon, TZ);
      expect(again).toEqual(own.map((s) => ({ ...s, status: 'free' })));
      expect(again.every((s) => s.status === 'free')).toBe(true);
      const later = slotsForSchedule(schedule, horizon, addClinicDays(horizon, 14), TZ);
      expect(later).toHaveLength(10 * 34);
      const ids = new Set(own.map((s) => s.id));
      expect(later.some((s) => ids.has(s.id))).toBe(false);
    }
    expect(data.slots[0].id).toBe('slot-parata-20270329-0830');
  });
});

describe('appointments', () => {
  const slotById = new Map(data.slots.map((s) => [s.id, s]));
  const scheduleById = new Map(data.schedules.map((s) => [`Schedule/${s.id}`, s]));
  const tomorrow = clinicInstant(addClinicDays(TODAY, 1), '00:00', TZ).getTime();
  const startOfToday = clinicInstant(TODAY, '00:00', TZ).getTime();
  const booked = data.appointments.filter((a) => a.status === 'booked');

  it('has future booked, future cancelled and past appointments', () => {
    expect(booked.length).toBeGreaterThan(10);
    expect(data.appointments.some((a) => a.status === 'cancelled' && new Date(a.start!).getTime() >= tomorrow)).toBe(
      true,
    );
    for (const status of ['fulfilled', 'cancelled', 'noshow'] as const) {
      expect(
        data.appointments.some((a) => a.status === status && new Date(a.start!).getTime() < startOfToday),
        status,
      ).toBe(true);
    }
    for (const a of data.appointments) expect(a.id).toMatch(/^appt-\d{5,}$/);
  });

  it('refers only to resources that exist, with every participant accepted', () => {
    const keys = new Set(allResources(data).map((r) => `${r.resourceType}/${r.id}`));
    for (const appointment of data.appointments) {
      for (const type of ['Patient', 'Practitioner', 'Location']) {
        const ref = actorRef(appointment, type);
        expect(ref && keys.has(ref), `${appointment.id} ${type}`).toBe(true);
      }
      expect(appointment.participant.every((p) => p.status === 'accepted')).toBe(true);
      expect(new Date(appointment.end!).getTime() - new Date(appointment.start!).getTime()).toBe(15 * 60_000);
      expect(new Date(appointment.created!).getTime()).toBeLessThan(new Date(appointment.start!).getTime());
    }
  });

  it('books future slots of the practitioner and location named, and marks exactly those busy', () => {
    const busy = new Set<string>();
    for (const appointment of booked) {
      const slot = slotById.get(appointment.slot?.[0]?.reference?.replace('Slot/', '') ?? '');
      expect(slot, appointment.id).toBeDefined();
      expect(slot!.status).toBe('busy');
      expect(new Date(slot!.start).getTime()).toBeGreaterThanOrEqual(tomorrow);
      expect([appointment.start, appointment.end]).toEqual([slot!.start, slot!.end]);
      const schedule = scheduleById.get(slot!.schedule.reference!);
      expect(schedule?.actor.map((a) => a.reference)).toEqual([
        actorRef(appointment, 'Practitioner'),
        actorRef(appointment, 'Location'),
      ]);
      busy.add(slot!.id!);
    }
    expect(
      data.slots
        .filter((s) => s.status === 'busy')
        .map((s) => s.id)
        .sort(),
    ).toEqual([...busy].sort());
    for (const appointment of data.appointments.filter((a) => a.status === 'cancelled' && a.slot)) {
      expect(slotById.get(appointment.slot![0].reference!.replace('Slot/', ''))?.status).toBe('free');
    }
  });

  it("carry the channel and service type of the clinician's schedule, and remote ones only what can be done remotely", () => {
    const scheduleOf = new Map(data.schedules.map((s) => [s.actor[0].reference, s]));
    const slotOf = new Map(data.slots.map((s) => [s.schedule.reference, s]));
    for (const appointment of data.appointments) {
      const schedule = scheduleOf.get(actorRef(appointment, 'Practitioner'));
      expect(appointment.serviceType, appointment.id).toEqual(schedule?.serviceType);
      const channel = deliveryChannelOf(appointment);
      expect(channel, appointment.id).toBe(deliveryChannelOf(slotOf.get(`Schedule/${schedule?.id}`)));
      if (channel !== 'in-person')
        expect(['Cervical screening', 'Skin check', 'Blood test', 'Wound dressing']).not.toContain(
          appointment.description,
        );
    }
    const channels = new Set(data.appointments.map(deliveryChannelOf));
    expect([...channels].sort()).toEqual(['in-person', 'telephone', 'video']);
  });

  it('never double-books a practitioner', () => {
    const byPractitioner = new Map<string, Appointment[]>();
    for (const appointment of booked) {
      const practitioner = actorRef(appointment, 'Practitioner')!;
      byPractitioner.set(practitioner, [...(byPractitioner.get(practitioner) ?? []), appointment]);
    }
    for (const appointments of byPractitioner.values()) {
      const sorted = appointments
        .map((a) => [new Date(a.start!).getTime(), new Date(a.end!).getTime()])
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThanOrEqual(sorted[i - 1][1]);
    }
  });

  it('puts past appointments on past weekdays in clinic hours, without slots', () => {
    for (const appointment of data.appointments.filter((a) => new Date(a.start!).getTime() < startOfToday)) {
      const start = inAuckland(appointment.start!);
      expect(['fulfilled', 'cancelled', 'noshow']).toContain(appointment.status);
      expect(clinicWeekday(start.date)).toBeLessThanOrEqual(5);
      expect(start.time >= '08:30' && start.time <= '16:45').toBe(true);
      expect(appointment.slot).toBeUndefined();
    }
  });
});

describe('at benchmark scale', () => {
  it('builds 50,000 patients with unique NHIs and a consistent booking book', () => {
    const big = buildDemoData({ today: TODAY, timeZone: TZ, patients: 50_000 });
    expect(big.patients).toHaveLength(50_000);
    expect(big.patients[49_999].id).toBe('pat-50000');
    const nhis = new Set(big.patients.map((p) => nhiOf(p)));
    expect(nhis.size).toBe(50_000);
    const busy = big.slots.filter((s) => s.status === 'busy').length;
    expect(big.appointments.filter((a) => a.status === 'booked')).toHaveLength(busy);
    expect(busy).toBeLessThan(big.slots.length * 0.6);
  });
});
