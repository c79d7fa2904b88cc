/**
 * Demo data on first start of an empty store, and on every later start free slots topped up to
 * the horizon, so a demo never runs out of times to book.
 */
import type { Resource, Schedule } from 'fhir/r4';
import { addClinicDays, clinicDate } from '../../domain/clinicTime';
import { buildDemoData, slotsForSchedule, type DemoDataOptions } from '../seed/demoData';
import type { FhirStore } from '../storage/fhirStore';

export const DEMO_WEEKS = 8;

export interface DemoDataReport {
  seeded: boolean;
  resourcesAdded: number;
}

export async function seedDemoData(store: FhirStore, options: DemoDataOptions, now: Date): Promise<number> {
  const data = buildDemoData(options);
  const resources: Resource[] = [
    ...data.patients,
    ...data.practitioners,
    ...data.locations,
    ...data.schedules,
    ...data.slots,
    ...data.appointments,
  ];
  return store.bulkLoad(resources, now);
}

export async function extendSlots(store: FhirStore, timeZone: string, now: Date): Promise<number> {
  const today = clinicDate(now, timeZone);
  const horizon = addClinicDays(today, DEMO_WEEKS * 7);
  const lastStarts = await store.lastSlotStartBySchedule();
  const schedules = await store.search({
    resourceType: 'Schedule',
    criteria: [],
    count: 1000,
    offset: 0,
    descending: false,
    include: [],
  });
  const slots = (schedules.matches as Schedule[]).flatMap((schedule) => {
    const last = lastStarts.get(schedule.id as string);
    const dayAfterLast = last ? addClinicDays(clinicDate(last, timeZone), 1) : today;
    const from = dayAfterLast > today ? dayAfterLast : today;
    return from < horizon ? slotsForSchedule(schedule, from, horizon, timeZone) : [];
  });
  return slots.length > 0 ? store.bulkLoad(slots, now) : 0;
}

export async function ensureDemoData(store: FhirStore, timeZone: string, now: Date): Promise<DemoDataReport> {
  if (!(await store.has('Patient'))) {
    const resourcesAdded = await seedDemoData(
      store,
      { today: clinicDate(now, timeZone), timeZone, weeks: DEMO_WEEKS },
      now,
    );
    return { seeded: true, resourcesAdded };
  }
  return { seeded: false, resourcesAdded: await extendSlots(store, timeZone, now) };
}
