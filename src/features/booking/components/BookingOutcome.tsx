import type { ReactNode, Ref } from 'react';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Spinner } from '../../../components/Spinner';
import type { BookingSubmission } from '../hooks/useBookingSubmission';

interface BookingOutcomeProps {
  submission: Pick<BookingSubmission, 'pending' | 'slow' | 'uncertain'>;
  /** What to do now the answer was lost: the desk offers "Try again", a patient books again. */
  uncertainAdvice: ReactNode;
  /** Why the last attempt did not book, when it did not. */
  failure?: { title: string; details?: string[] };
  /** The outcome takes the focus after an attempt, so a screen reader hears it. */
  ref?: Ref<HTMLDivElement>;
}

/** How the last booking attempt went, short of booked: on its way, not confirmed, or not booked. */
export function BookingOutcome({
  submission: { pending, slow, uncertain },
  uncertainAdvice,
  failure,
  ref,
}: BookingOutcomeProps) {
  return (
    <div ref={ref} tabIndex={-1} className="booking__outcome">
      {uncertain && !pending && (
        <ErrorSummary title="The booking could not be confirmed: the server did not answer.">
          {uncertainAdvice}
        </ErrorSummary>
      )}
      {failure && !pending && <ErrorSummary title={failure.title} details={failure.details} />}
      {pending && (
        <p className="notice" role="status">
          <Spinner /> {slow ? 'The server is slow to answer; still waiting. Please do not book again.' : 'Booking…'}
        </p>
      )}
    </div>
  );
}
