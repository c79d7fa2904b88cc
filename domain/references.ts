/** A literal reference such as `Patient/123`, or an absolute URL ending in one, taken apart. */
export interface ParsedReference {
  resourceType: string;
  id: string;
}

const FHIR_ID = '[A-Za-z0-9\\-.]{1,64}';
const REFERENCE = new RegExp(`^(?:https?://\\S+/)?([A-Z][A-Za-z]+)/(${FHIR_ID})(?:/_history/${FHIR_ID})?$`);

export function parseReference(reference: string | undefined): ParsedReference | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = REFERENCE.exec(reference);
  return match ? { resourceType: match[1], id: match[2] } : undefined;
}

export function isFhirId(value: unknown): boolean {
  return typeof value === 'string' && new RegExp(`^${FHIR_ID}$`).test(value);
}

/** The ids of a schedule's actors of one type, in order (a shared schedule names several practitioners). */
export function scheduleActorIds(
  schedule: { actor?: Array<{ reference?: string }> } | undefined,
  type: string,
): string[] {
  return (schedule?.actor ?? []).flatMap((actor) => {
    const reference = parseReference(actor.reference);
    return reference?.resourceType === type ? [reference.id] : [];
  });
}

export function referenceTo(resourceType: string, id: string): string {
  return `${resourceType}/${id}`;
}
