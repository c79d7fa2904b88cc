/**
 * Test data through the FHIR API, the way another client of the clinic would make it: journeys set up
 * and check their world here, and drive the screens only through what a person sees. It signs in as
 * the machine client (client_credentials), which the test server is started with.
 */
import { expect, type APIRequestContext } from '@playwright/test';
import type { Appointment, Bundle, Communication, Location, Patient, Practitioner, Schedule, Slot } from 'fhir/r4';
import { isOnlineBookable } from '../../domain/extensions';
import { E2E_STAFF_CLIENT } from './environment';

const FHIR_JSON = 'application/fhir+json';
/** A slot closer than this could pass into the past while a journey is still booking it. */
const LEAD_TIME_MS = 60 * 60_000;
/**
 * A patient cancels or moves online only until PATIENT_CANCEL_CUTOFF_MINUTES (2 hours by default)
 * before the start: a journey in which the patient changes what they booked books past that, with an hour to spare.
 */
const PATIENT_LEAD_TIME_MS = 3 * 60 * 60_000;

export class FhirApi {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  static async signIn(request: APIRequestContext): Promise<FhirApi> {
    const response = await request.post('/auth/token', {
      form: {
        grant_type: 'client_credentials',
        client_id: E2E_STAFF_CLIENT.id,
        client_secret: E2E_STAFF_CLIENT.secret,
      },
    });
    expect(response.status(), await response.text()).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    return new FhirApi(request, token);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: FHIR_JSON, ...extra };
  }

  private async search<T>(path: string): Promise<T[]> {
    const response = await this.request.get(`/fhir/${path}`, { headers: this.headers() });
    expect(response.status(), `GET /fhir/${path}`).toBe(200);
    const bundle = (await response.json()) as Bundle;
    return (bundle.entry ?? []).filter((entry) => entry.search?.mode !== 'include').map((entry) => entry.resource as T);
  }

  private async read<T>(type: string, id: string): Promise<T> {
    const response = await this.request.get(`/fhir/${type}/${id}`, { headers: this.headers() });
    expect(response.status(), `GET /fhir/${type}/${id}`).toBe(200);
    return (await response.json()) as T;
  }

  patient(id: string): Promise<Patient> {
    return this.read<Patient>('Patient', id);
  }

  /** Patients whose family name is exactly this (as the server stores it). */
  async patientsWithFamily(family: string): Promise<Patient[]> {
    const found = await this.search<Patient>(`Patient?family=${encodeURIComponent(family)}&_count=100`);
    return found.filter((patient) => patient.name?.some((name) => name.family === family));
  }

  location(id: string): Promise<Location> {
    return this.read<Location>('Location', id);
  }

  /** Every appointment of the patient's, in any status. */
  appointmentsOf(patientId: string): Promise<Appointment[]> {
    return this.search<Appointment>(`Appointment?patient=Patient/${patientId}&_count=200`);
  }

  practitioner(id: string): Promise<Practitioner> {
    return this.read<Practitioner>('Practitioner', id);
  }

  /** The slot as stored now (its status changes as it is booked and cancelled). */
  slotNow(slot: Slot): Promise<Slot> {
    return this.read<Slot>('Slot', slot.id as string);
  }

  /** The practitioner's free slots that start at least an hour (or `leadMs`) from now, earliest first. */
  async freeSlots(practitionerId: string, count = 50, leadMs = LEAD_TIME_MS): Promise<Slot[]> {
    const from = new Date(Date.now() + leadMs).toISOString();
    const slots = await this.search<Slot>(
      `Slot?schedule.actor=Practitioner/${practitionerId}&status=free&start=ge${encodeURIComponent(from)}&_count=${count}`,
    );
    expect(slots.length, `free slots of ${practitionerId}`).toBeGreaterThan(1);
    return slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  /** The practitioner's free slots from one instant to another, earliest first. */
  async freeSlotsBetween(practitionerId: string, from: Date, to: Date): Promise<Slot[]> {
    const slots = await this.search<Slot>(
      `Slot?schedule.actor=Practitioner/${practitionerId}&status=free&start=ge${encodeURIComponent(from.toISOString())}&start=lt${encodeURIComponent(to.toISOString())}&_count=500`,
    );
    return slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  /** The earliest free slot of the practitioner, far enough ahead to book through the screens. */
  async firstFreeSlot(practitionerId: string): Promise<Slot> {
    return (await this.freeSlots(practitionerId))[0];
  }

  /** The earliest free slot a patient can book and then still cancel or move online (past the cut-off). */
  async firstFreeSlotToChange(practitionerId: string): Promise<Slot> {
    return (await this.freeSlots(practitionerId, 50, PATIENT_LEAD_TIME_MS))[0];
  }

  /** Books a slot as another receptionist would, behind the back of the screen under test. */
  book(patientId: string, practitionerId: string, slot: Slot, locationId?: string): Promise<Appointment> {
    return this.postBooking(
      patientId,
      practitionerId,
      { start: slot.start, slot: [{ reference: `Slot/${slot.id}` }] },
      locationId,
    );
  }

  appointment(id: string): Promise<Appointment> {
    return this.read<Appointment>('Appointment', id);
  }

  /** Whether the server declares an Appointment operation (`cancel`, `reschedule`) in its CapabilityStatement. */
  async declaresOperation(name: string): Promise<boolean> {
    const response = await this.request.get('/fhir/metadata', { headers: this.headers() });
    const statement = (await response.json()) as {
      rest?: Array<{ resource?: Array<{ type: string; operation?: Array<{ name: string }> }> }>;
    };
    const appointment = statement.rest
      ?.flatMap((rest) => rest.resource ?? [])
      .find((resource) => resource.type === 'Appointment');
    return (appointment?.operation ?? []).some((operation) => operation.name.replace(/^\$/, '') === name);
  }

  /** The patient's booked appointments on a slot: a journey that booked it once expects exactly one. */
  async bookedOnSlot(patientId: string, slot: Slot): Promise<Appointment[]> {
    return this.search<Appointment>(`Appointment?patient=Patient/${patientId}&slot=Slot/${slot.id}&status=booked`);
  }

  /**
   * Books without a slot, as the clinic may (at most 2 hours): for a journey that needs an appointment
   * today at a time of its own choosing, whatever the clock says. No Location unless one is given.
   */
  bookAt(patientId: string, practitionerId: string, start: Date, end: Date, locationId?: string): Promise<Appointment> {
    return this.postBooking(
      patientId,
      practitionerId,
      { start: start.toISOString(), end: end.toISOString() },
      locationId,
    );
  }

  /** POSTs a booking of the patient with the practitioner (and the Location, if given), expecting 201. */
  private async postBooking(
    patientId: string,
    practitionerId: string,
    when: Pick<Appointment, 'start' | 'end' | 'slot'>,
    locationId?: string,
  ): Promise<Appointment> {
    const response = await this.request.post('/fhir/Appointment', {
      headers: this.headers({ 'content-type': FHIR_JSON }),
      data: {
        resourceType: 'Appointment',
        status: 'proposed',
        ...when,
        participant: [
          { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
          { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
          ...(locationId ? [{ actor: { reference: `Location/${locationId}` }, status: 'accepted' }] : []),
        ],
      },
    });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Appointment;
  }

  /** The times the actors (`Practitioner/…`, `Patient/…`) are taken between two instants: every appointment not cancelled. */
  async takenTimes(actors: string[], from: Date, to: Date): Promise<Array<{ start: number; end: number }>> {
    const found = await this.search<Appointment>(
      `Appointment?actor=${actors.join(',')}&date=ge${encodeURIComponent(from.toISOString())}&date=lt${encodeURIComponent(to.toISOString())}&_count=500`,
    );
    return found
      .filter(
        (appointment) =>
          appointment.status !== 'cancelled' && appointment.status !== 'entered-in-error' && appointment.start,
      )
      .map((appointment) => ({
        start: Date.parse(appointment.start as string),
        end: Date.parse(appointment.end ?? (appointment.start as string)),
      }));
  }

  /** The outbox's emails about an appointment (Communication, `status` completed once sent). */
  communicationsAbout(appointmentId: string): Promise<Communication[]> {
    return this.search<Communication>(`Communication?about=Appointment/${appointmentId}`);
  }

  /** The appointment as stored now (its status and version change as the desk marks it). */
  appointmentNow(id: string): Promise<Appointment> {
    return this.read<Appointment>('Appointment', id);
  }

  /** Cancels as the page's PUT does: the stored appointment with only its status changed, If-Match on its version. */
  async cancel(appointment: Appointment): Promise<Appointment> {
    const stored = await this.appointmentNow(appointment.id as string);
    const response = await this.request.put(`/fhir/Appointment/${appointment.id}`, {
      headers: this.headers({ 'content-type': FHIR_JSON, 'if-match': `W/"${stored.meta?.versionId}"` }),
      data: { ...stored, status: 'cancelled' },
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as Appointment;
  }

  /** JSON Patch of the status, as another desk marks an appointment (If-Match on the version given). */
  async markStatus(appointment: Appointment, status: Appointment['status']): Promise<Appointment> {
    const response = await this.request.patch(`/fhir/Appointment/${appointment.id}`, {
      headers: this.headers({
        'content-type': 'application/json-patch+json',
        'if-match': `W/"${appointment.meta?.versionId}"`,
      }),
      data: JSON.stringify([{ op: 'replace', path: '/status', value: status }]),
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as Appointment;
  }

  /**
   * Every free slot at a location from one instant to another that a patient may book online, earliest
   * first: each page followed, each slot's schedule included for its online-bookable default.
   */
  async freeOnlineSlotsAt(locationId: string, from: Date, to: Date): Promise<Slot[]> {
    let url: string | undefined =
      `/fhir/Slot?schedule.actor=Location/${locationId}&status=free&start=ge${encodeURIComponent(from.toISOString())}&start=lt${encodeURIComponent(to.toISOString())}&_include=Slot:schedule&_count=100`;
    const slots: Slot[] = [];
    const schedules = new Map<string, Schedule>();
    while (url) {
      const response = await this.request.get(url, { headers: this.headers() });
      expect(response.status(), `GET ${url}`).toBe(200);
      const bundle = (await response.json()) as Bundle;
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource as Slot | Schedule | undefined;
        if (resource?.resourceType === 'Schedule') schedules.set(resource.id as string, resource);
        if (resource?.resourceType === 'Slot' && entry.search?.mode !== 'include') slots.push(resource);
      }
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      url = next ? new URL(next).pathname + new URL(next).search : undefined;
    }
    return slots
      .filter((slot) => isOnlineBookable(schedules.get(slot.schedule.reference?.split('/')[1] ?? ''), slot))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  /** The patient's booked appointments still to come. */
  async upcomingBookedFor(patientId: string): Promise<Appointment[]> {
    return this.search<Appointment>(
      `Appointment?patient=Patient/${patientId}&status=booked&date=ge${encodeURIComponent(new Date().toISOString())}&_count=100`,
    );
  }
}
