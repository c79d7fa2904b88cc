/**
 * Every resource's query keys, in one shared place, so a mutation in one feature can invalidate
 * exactly what it changes in another without the features importing each other. A key holds every
 * value its query function reads (the client aside), so two different requests never share an entry.
 */
/** What a diary shows: days from a clinic date at one location, for everyone there or one practitioner. */
export interface DiaryRange {
  locationId: string;
  practitionerId?: string;
  /** The first clinic date (YYYY-MM-DD). */
  from: string;
  days: number;
  timeZone: string;
}

export const queryKeys = {
  server: {
    /** The CapabilityStatement: what the server at that FHIR base declares it can do. */
    capabilities: (fhirBaseUrl: string) => ['metadata', fhirBaseUrl] as const,
  },
  patients: {
    all: ['Patient'] as const,
    search: (term: { kind: string; value: string }) => [...queryKeys.patients.all, 'search', term] as const,
    detail: (id: string) => [...queryKeys.patients.all, 'detail', id] as const,
  },
  practitioners: {
    all: ['Practitioner'] as const,
    search: (term: string) => [...queryKeys.practitioners.all, 'search', term] as const,
    detail: (id: string) => [...queryKeys.practitioners.all, 'detail', id] as const,
    schedules: (id: string) => [...queryKeys.practitioners.all, 'schedules', id] as const,
    /** Every practitioner's role and places, from all schedules at once. */
    work: () => [...queryKeys.practitioners.all, 'work'] as const,
  },
  locations: {
    all: ['Location'] as const,
    search: (term: string) => [...queryKeys.locations.all, 'search', term] as const,
  },
  slots: {
    all: ['Slot'] as const,
    forPractitioner: (practitionerId: string) => [...queryKeys.slots.all, 'practitioner', practitionerId] as const,
    /** The clinic's time zone decides where the week starts and ends and which day a slot is on. */
    week: (practitionerId: string, scheduleIds: readonly string[], weekStart: string, timeZone: string) =>
      [
        ...queryKeys.slots.forPractitioner(practitionerId),
        'week',
        weekStart,
        timeZone,
        [...scheduleIds].sort().join(','),
      ] as const,
    /** Free slots of every practitioner ("first available with anyone"): any booking or cancelling changes them. */
    anyPractitioner: () => [...queryKeys.slots.all, 'any-practitioner'] as const,
    /** The earliest free times at a location from a date, filtered; which filters the server applies is part of the request. */
    firstAvailable: (request: {
      locationId: string;
      role: string;
      channel: string;
      partOfDay: string;
      from: string;
      days: number;
      wanted?: number;
      onlineOnly: boolean;
      timeZone: string;
      server: { serviceType: boolean; channel: boolean };
    }) => [...queryKeys.slots.anyPractitioner(), 'first-available', request] as const,
    /** Every diary's slots: a cancel or reschedule frees or takes a slot some of them show. */
    diaries: () => [...queryKeys.slots.all, 'diary'] as const,
    /** Every slot (free or busy) at a location in a range of clinic days, or one practitioner's there. */
    diary: (range: DiaryRange) =>
      [
        ...queryKeys.slots.diaries(),
        range.locationId,
        range.practitionerId ?? '',
        range.from,
        range.days,
        range.timeZone,
      ] as const,
  },
  appointments: {
    all: ['Appointment'] as const,
    forPatient: (patientId: string) => [...queryKeys.appointments.all, 'patient', patientId] as const,
    /** The clinic of the patient's last visit: under their appointments, so whatever changes those refreshes it. */
    usualClinic: (patientId: string) => [...queryKeys.appointments.forPatient(patientId), 'usual-clinic'] as const,
    /** Every diary range: any booking, cancelling or mark changes some of them. */
    diaries: () => [...queryKeys.appointments.all, 'diary'] as const,
    /** A location's appointments (with patients and practitioners) in a range of clinic days, or one practitioner's there; also those of the practitioners working there. */
    diary: (range: DiaryRange, practitionerIds: readonly string[]) =>
      [
        ...queryKeys.appointments.diaries(),
        range.locationId,
        range.practitionerId ?? '',
        range.from,
        range.days,
        range.timeZone,
        practitionerIds.join(','),
      ] as const,
  },
  messages: {
    all: ['Communication'] as const,
    /** The newest emails to patients (the server's outbox), everyone's or one patient's. */
    list: (patientId: string | undefined) => [...queryKeys.messages.all, 'list', patientId ?? ''] as const,
  },
  provenance: {
    all: ['Provenance'] as const,
    /** The history of one appointment: who did what, when. */
    forAppointment: (appointmentId: string) => [...queryKeys.provenance.all, 'appointment', appointmentId] as const,
  },
};
