import type { ReactNode } from 'react';
import { issueMessage } from '../../domain/operationOutcome';
import { FhirRequestError } from '../lib/fhirClient';

/** The plain-words lines for any failure: the server's own diagnostics when it gave some. */
export function errorLines(error: unknown): { title: string; details: string[] } {
  if (error instanceof FhirRequestError) {
    return { title: error.message, details: [...new Set(error.issues.map(issueMessage))] };
  }
  return { title: 'Something went wrong.', details: error instanceof Error && error.message ? [error.message] : [] };
}

interface ErrorSummaryProps {
  title: string;
  details?: string[];
  children?: ReactNode;
}

export function ErrorSummary({ title, details = [], children }: ErrorSummaryProps) {
  return (
    <div className="error-summary" role="alert">
      <p className="error-summary__title">{title}</p>
      {details.length > 0 && (
        <ul className="error-summary__list">
          {details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}

/** A failed load, explained, with a way to try again. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, details } = errorLines(error);
  return (
    <ErrorSummary title={title} details={details}>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </ErrorSummary>
  );
}
