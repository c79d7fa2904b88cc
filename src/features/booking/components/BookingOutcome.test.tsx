import { render, screen } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { BookingOutcome } from './BookingOutcome';

const settled = { pending: false, slow: false, uncertain: false };
const advice = <p>Book again.</p>;

describe('BookingOutcome', () => {
  it('says nothing before an attempt', () => {
    render(<BookingOutcome submission={settled} uncertainAdvice={advice} />);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('says a booking is on its way, and asks for patience once it is slow', () => {
    const { rerender } = render(
      <BookingOutcome
        submission={{ ...settled, pending: true, uncertain: true }}
        uncertainAdvice={advice}
        failure={{ title: 'Earlier problem.' }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Booking…');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    rerender(<BookingOutcome submission={{ ...settled, pending: true, slow: true }} uncertainAdvice={advice} />);
    expect(screen.getByRole('status')).toHaveTextContent(
      'The server is slow to answer; still waiting. Please do not book again.',
    );
  });

  it('after a lost answer says it was not confirmed, with the advice given', () => {
    render(<BookingOutcome submission={{ ...settled, uncertain: true }} uncertainAdvice={advice} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The booking could not be confirmed: the server did not answer.');
    expect(alert).toHaveTextContent('Book again.');
  });

  it('says why it was not booked, with the details', () => {
    render(
      <BookingOutcome
        submission={settled}
        uncertainAdvice={advice}
        failure={{ title: 'The appointment was not booked.', details: ['The clinic is closed.'] }}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The appointment was not booked.');
    expect(alert).toHaveTextContent('The clinic is closed.');
  });

  it('can take the focus, so a screen reader hears how it went', () => {
    const outcome = createRef<HTMLDivElement>();
    render(<BookingOutcome ref={outcome} submission={settled} uncertainAdvice={advice} />);
    outcome.current?.focus();
    expect(outcome.current).toHaveFocus();
  });
});
