import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../test/renderApp';
import { TIME_ZONE } from '../../../test/fhirFixtures';
import { MessageList } from './MessageList';

describe('MessageList', () => {
  it('shows each email with whom it went to, "No email address" where the patient has none, and whether it was sent', () => {
    renderApp(
      <MessageList
        timeZone={TIME_ZONE}
        total={3}
        rows={[
          {
            id: '1',
            what: 'Booking confirmation',
            to: 'aroha@example.com',
            patientId: 'p1',
            subject: 'Appointment confirmed: Tue 5 Mar, 9:00 am NZDT',
            status: 'completed',
            reason: undefined,
            sent: new Date('2030-03-04T19:05:00Z'),
          },
          {
            id: '2',
            what: 'Booking confirmation',
            to: undefined,
            patientId: 'p2',
            subject: 'Appointment confirmed: Tue 5 Mar, 9:15 am NZDT',
            status: 'not-done',
            reason: 'The patient has no email address on record: nothing was sent.',
            sent: undefined,
          },
        ]}
      />,
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/aroha@example\.com.*Sent.*8:05 am NZDT/);
    expect(rows[1]).toHaveTextContent(/No email address.*Not sent.*no email address on record/);
    expect(screen.getByText('Showing the newest 2 of 3.')).toBeInTheDocument();
  });
});
