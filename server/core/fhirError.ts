import type { OperationOutcomeIssue } from 'fhir/r4';
import { issue, type IssueCode } from '../../domain/operationOutcome';

/** A request refused with an HTTP status and the OperationOutcome issues that say why. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issues: OperationOutcomeIssue[],
  ) {
    super(issues.map((found) => found.diagnostics).join(' '));
  }

  static of(status: number, code: IssueCode, diagnostics: string, expression?: string | string[]): FhirError {
    return new FhirError(status, [issue(code, diagnostics, expression)]);
  }
}
