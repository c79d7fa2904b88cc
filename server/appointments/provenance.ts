/** Who did what: one Provenance per write, created in the write's own transaction (domain.md). */
import type { Provenance, Resource } from 'fhir/r4';
import { agentReference, type Requester } from '../core/requester';
import type { StoreTransaction } from '../storage/fhirStore';

const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/** What a write did to its targets: CREATE or UPDATE, and in a word what happened (booked, cancelled, arrived...). */
export interface Activity {
  operation: 'CREATE' | 'UPDATE';
  text: string;
}

/** Records who made `targets` (the versions just written) and when, in the same transaction. */
export async function recordProvenance(
  tx: StoreTransaction,
  targets: Resource[],
  activity: Activity,
  requester: Requester,
  now: Date,
): Promise<Provenance> {
  return tx.create<Provenance>(
    {
      resourceType: 'Provenance',
      target: targets.map((target) => ({
        reference: `${target.resourceType}/${target.id}/_history/${target.meta?.versionId}`,
      })),
      recorded: now.toISOString(),
      activity: {
        coding: [
          {
            system: DATA_OPERATION,
            code: activity.operation,
            display: activity.operation === 'CREATE' ? 'create' : 'revise',
          },
        ],
        text: activity.text,
      },
      agent: [
        {
          type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author', display: 'Author' }], text: requester.kind },
          who: agentReference(requester),
        },
      ],
    },
    now,
  );
}
