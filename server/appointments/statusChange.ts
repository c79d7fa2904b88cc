/**
 * The front desk's marks: arrived, seen, did not attend, and undoing a mark made in error.
 * `PATCH Appointment/{id}` with a JSON Patch of one `replace` of `/status` and `If-Match`
 * (domain.md); the transitions are domain/appointmentLifecycle's table.
 */
import type { Appointment } from 'fhir/r4';
import { checkStatusChange, STATUS_TRANSITIONS } from '../../domain/appointmentLifecycle';
import { APPOINTMENT_PATH } from '../../domain/appointmentRules';
import { FhirError } from '../core/fhirError';
import { expectedVersion } from '../core/requestBody';
import type { FhirStore } from '../storage/fhirStore';
import { defineStoreOperation } from '../storage/storeOperation';
import { readForChange } from './cancelling';
import { inClientTerms } from './conflicts';
import { recordProvenance } from './provenance';
import { contextOf, type WriteContext, type WriteInput } from './writeContext';

const ALLOWED = `Send one operation, {"op": "replace", "path": "/status", "value": "<status>"}; the changes allowed are ${STATUS_TRANSITIONS.map((found) => `${found.from} -> ${found.to}`).join(', ')}.`;

/** A JSON Pointer into an Appointment as the FHIRPath of the same element, for the issue's expression. */
function fhirPathOf(pointer: unknown): string {
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return 'Appointment';
  return `Appointment${pointer
    .slice(1)
    .split('/')
    .slice(0, 6)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~').slice(0, 40)}`))
    .join('')}`;
}

/** The status a JSON Patch asks for: 400 when it is not a JSON Patch, 422 when it patches anything but the status. */
export function requestedStatus(body: unknown): unknown {
  if (!Array.isArray(body))
    throw FhirError.of(400, 'structure', `The body must be a JSON Patch (an array of operations). ${ALLOWED}`);
  if (
    body.some(
      (operation) =>
        typeof operation !== 'object' ||
        operation === null ||
        Array.isArray(operation) ||
        typeof (operation as { op?: unknown }).op !== 'string',
    )
  ) {
    throw FhirError.of(
      400,
      'structure',
      `Each JSON Patch operation must be an object with "op" and "path". ${ALLOWED}`,
    );
  }
  const operations = body as Array<{ op: string; path?: unknown; value?: unknown }>;
  const other = operations.find((operation) => operation.op !== 'replace' || operation.path !== '/status');
  if (other) {
    throw FhirError.of(
      422,
      'business-rule',
      `Only the status can be changed by PATCH, and only by "replace"; ${other.op.slice(0, 20)} ${String(other.path).slice(0, 80)} is not allowed. ${ALLOWED}`,
      fhirPathOf(other.path),
    );
  }
  if (operations.length !== 1)
    throw FhirError.of(422, 'business-rule', `Send exactly one operation. ${ALLOWED}`, APPOINTMENT_PATH.status);
  return operations[0].value;
}

interface StatusChange {
  id: string;
  ifMatch: string;
  status: unknown;
  timeZone: string;
}

export const statusChangeTransaction = defineStoreOperation(
  import.meta.url,
  'changeStatus',
  async (tx, input: WriteInput<StatusChange>) => {
    const context = contextOf(input);
    if (context.requester.kind === 'patient')
      throw FhirError.of(
        403,
        'forbidden',
        'Arrivals and attendance are marked by the clinic: please tell the front desk.',
      );
    const stored = await readForChange(tx, input.id, input.ifMatch, 'changing its status');
    const { problems, transition } = checkStatusChange(stored, input.status, context.now, input.timeZone);
    if (!transition) throw new FhirError(422, problems);
    const changed = await tx.update<Appointment>({ ...stored, status: transition.to }, context.now);
    await recordProvenance(
      tx,
      [changed],
      { operation: 'UPDATE', text: transition.activity },
      context.requester,
      context.now,
    );
    return changed;
  },
);

/** PATCH Appointment/{id}: the patch read here, the change where the database runs. If-Match is required. */
export async function changeStatus(
  store: FhirStore,
  id: string,
  body: unknown,
  ifMatch: string | string[] | undefined,
  timeZone: string,
  now: Date,
  who: Partial<Omit<WriteContext, 'now'>> = {},
): Promise<Appointment> {
  const status = requestedStatus(body);
  const expected = expectedVersion(ifMatch);
  if (expected === undefined) {
    throw FhirError.of(
      428,
      'required',
      'Send If-Match with the version you read (W/"<versionId>"), so a mark is never made on an appointment that has changed since.',
    );
  }
  try {
    return await store.run(statusChangeTransaction, {
      id,
      ifMatch: `W/"${expected}"`,
      status,
      timeZone,
      ...contextOf({ now, ...who }),
    });
  } catch (error) {
    throw inClientTerms(error);
  }
}
