/**
 * What one request may see and do, decided from its token's scopes and patient context. The FHIR
 * routes consult it: a read is checked, a search narrowed, an _include filtered, a write checked.
 * user/ and system/ scopes reach every resource of their types; patient/ scopes reach only the
 * token's patient and that patient's appointments (and the clinic's practitioners, locations,
 * schedules and slots, which are nobody's private data).
 */
import type { Appointment, Communication, Resource } from 'fhir/r4';
import { participantsOfType } from '../../domain/appointmentRules';
import { permits, type Interaction, type ResourceScope, type ScopeContext } from '../../domain/smartScopes';
import { FhirError } from '../core/fhirError';
import type { Criterion, SearchSpec } from '../storage/searchSpec';

type Reach = 'all' | 'patient' | 'none';

/** Refused because the token's scopes do not cover the interaction at all (RFC 6750 insufficient_scope). */
export class InsufficientScope extends FhirError {
  constructor(resourceType: string, interaction: Interaction) {
    super(403, [
      {
        severity: 'error',
        code: 'forbidden',
        diagnostics: `This token's scopes do not allow ${interaction} on ${resourceType.slice(0, 64)}.`,
      },
    ]);
  }
}

function forbidden(diagnostics: string): FhirError {
  return FhirError.of(403, 'forbidden', diagnostics);
}

export interface Access {
  requireInteraction(resourceType: string, interaction: Interaction): void;
  /** Throws 403 unless the resource (undefined when it does not exist) may be read. */
  checkRead(resourceType: string, id: string, found: Resource | undefined): void;
  narrowSearch(spec: SearchSpec): SearchSpec;
  filterIncluded(resources: Resource[]): Resource[];
  checkCreate(resourceType: string, body: unknown): void;
  /** Throws 403 unless the stored resource (read only when needed; undefined when there is none) may be updated. */
  checkUpdate(resourceType: string, readStored: () => Promise<Resource | undefined>): Promise<void>;
  /** For searches outside the SearchSpec (Communication): the token's patient when it reaches only theirs, undefined when it reaches all; 403 when none. */
  ownPatientOnly(resourceType: string, interaction: Interaction): string | undefined;
}

const UNLIMITED_CONTEXTS: ScopeContext[] = ['system', 'user'];

export class TokenAccess implements Access {
  constructor(
    private readonly scopes: ResourceScope[],
    private readonly patient: string | undefined,
  ) {}

  private reach(requestedType: string, interaction: Interaction): Reach {
    // An appointment's Provenance and its emails (Communication) are read by whoever may read the appointment (the route checks whose it is).
    const readsProvenance =
      (requestedType === 'Provenance' || requestedType === 'Communication') &&
      (interaction === 'read' || interaction === 'vread' || interaction === 'search');
    const resourceType = readsProvenance ? 'Appointment' : requestedType;
    if (UNLIMITED_CONTEXTS.some((context) => permits(this.scopes, context, resourceType, interaction))) return 'all';
    if (this.patient !== undefined && permits(this.scopes, 'patient', resourceType, interaction)) return 'patient';
    return 'none';
  }

  /** Whether a resource belongs to the token's patient (only Patient and Appointment are private here). */
  private ownedByPatient(resourceType: string, resource: Resource | undefined, id?: string): boolean {
    if (resourceType === 'Patient') return (resource?.id ?? id) === this.patient;
    if (resourceType === 'Appointment')
      return (
        resource !== undefined &&
        participantsOfType(resource as Appointment, 'Patient').some((found) => found.id === this.patient)
      );
    if (resourceType === 'Communication')
      return resource !== undefined && (resource as Communication).subject?.reference === `Patient/${this.patient}`;
    return true;
  }

  requireInteraction(resourceType: string, interaction: Interaction): void {
    if (this.reach(resourceType, interaction) === 'none') throw new InsufficientScope(resourceType, interaction);
  }

  checkRead(resourceType: string, id: string, found: Resource | undefined): void {
    const reach = this.reach(resourceType, 'read');
    if (reach === 'none') throw new InsufficientScope(resourceType, 'read');
    // The same answer whether another patient's resource exists or not.
    if (reach === 'patient' && !this.ownedByPatient(resourceType, found, id)) {
      throw forbidden(`You can only see your own ${resourceType === 'Patient' ? 'patient record' : 'appointments'}.`);
    }
  }

  narrowSearch(spec: SearchSpec): SearchSpec {
    const reach = this.reach(spec.resourceType, 'search');
    if (reach === 'none') throw new InsufficientScope(spec.resourceType, 'search');
    if (reach === 'all') return spec;
    // Added beside whatever the query asked: all criteria must hold, so this can only narrow it.
    const own: Criterion | undefined =
      spec.resourceType === 'Patient'
        ? { kind: 'id', ids: [this.patient as string] }
        : spec.resourceType === 'Appointment' || spec.resourceType === 'Provenance'
          ? { kind: 'reference', param: 'patient', anyOf: [this.patient as string] }
          : undefined;
    return own ? { ...spec, criteria: [...spec.criteria, own] } : spec;
  }

  filterIncluded(resources: Resource[]): Resource[] {
    return resources.filter((resource) => {
      const reach = this.reach(resource.resourceType, 'read');
      return reach === 'all' || (reach === 'patient' && this.ownedByPatient(resource.resourceType, resource));
    });
  }

  checkCreate(resourceType: string, body: unknown): void {
    const reach = this.reach(resourceType, 'create');
    if (reach === 'none') throw new InsufficientScope(resourceType, 'create');
    if (reach === 'all' || resourceType !== 'Appointment' || typeof body !== 'object' || body === null) return;
    const appointment = body as Appointment;
    const others = participantsOfType(appointment, 'Patient').filter((found) => found.id !== this.patient);
    // An actor named only by identifier or display could be anyone: a patient names participants by reference.
    const participants = Array.isArray(appointment.participant) ? appointment.participant : [];
    const unreferenced = participants.some(
      (participant) => participant?.actor !== undefined && participant.actor.reference === undefined,
    );
    if (others.length > 0 || unreferenced) {
      throw forbidden(
        'You can only book appointments for yourself: the patient must be you, and every participant named by reference.',
      );
    }
  }

  ownPatientOnly(resourceType: string, interaction: Interaction): string | undefined {
    const reach = this.reach(resourceType, interaction);
    if (reach === 'none') throw new InsufficientScope(resourceType, interaction);
    return reach === 'patient' ? this.patient : undefined;
  }

  async checkUpdate(resourceType: string, readStored: () => Promise<Resource | undefined>): Promise<void> {
    const reach = this.reach(resourceType, 'update');
    if (reach === 'none') throw new InsufficientScope(resourceType, 'update');
    if (reach === 'patient' && !this.ownedByPatient(resourceType, await readStored()))
      throw forbidden('You can only cancel your own appointments.');
  }
}
