import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

export type IssueCode = OperationOutcomeIssue['code'];

/** One problem, in plain words, with the FHIRPath of the element at fault where there is one. */
export function issue(code: IssueCode, diagnostics: string, expression?: string | string[]): OperationOutcomeIssue {
  const found: OperationOutcomeIssue = { severity: 'error', code, diagnostics };
  if (expression !== undefined) found.expression = Array.isArray(expression) ? expression : [expression];
  return found;
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === 'OperationOutcome'
  );
}

/** The plain-words message of an issue, falling back to its coded text. */
export function issueMessage(found: OperationOutcomeIssue): string {
  return found.diagnostics ?? found.details?.text ?? `The server reported a problem (${found.code}).`;
}
