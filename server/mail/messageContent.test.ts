import { describe, expect, it } from 'vitest';
import { clinicWhen, composeMessage, escapeHtml } from './messageContent';

const ZONE = 'Pacific/Auckland';

describe('clinicWhen', () => {
  it('says the clinic wall-clock time and which zone, NZDT in summer and NZST in winter', () => {
    expect(clinicWhen(new Date('2030-03-04T20:00:00Z'), ZONE)).toBe('Tuesday 5 March 2030, 9:00 am NZDT');
    expect(clinicWhen(new Date('2030-07-09T02:30:00Z'), ZONE)).toBe('Tuesday 9 July 2030, 2:30 pm NZST');
  });
});

describe('composeMessage', () => {
  const facts = {
    start: new Date('2030-03-04T20:00:00Z'),
    end: new Date('2030-03-04T20:15:00Z'),
    patientName: 'Aroha',
    practitionerName: 'Dr Anna Tūhoe-Smith',
    clinicName: 'Ponsonby Family Health',
    clinicAddress: '12 Ponsonby Road, Ponsonby, Auckland 1011',
    clinicPhone: '09 555 0101',
    channel: 'video' as const,
    description: 'Sore <knee> & ankle',
  };

  it('gives the details in text and HTML: when, with whom, where, how, why', () => {
    const { subject, text, html } = composeMessage('booked', facts, ZONE);
    expect(subject).toBe('Appointment confirmed: Tue 5 Mar, 9:00 am NZDT at Ponsonby Family Health');
    for (const line of [
      'Kia ora Aroha,',
      'When: Tuesday 5 March 2030, 9:00 am NZDT (15 minutes)',
      'With: Dr Anna Tūhoe-Smith',
      'Where: Ponsonby Family Health, 12 Ponsonby Road, Ponsonby, Auckland 1011',
      'How: By video: the clinic will send you the link to join',
      'Reason: Sore <knee> & ankle',
      'Clinic phone: 09 555 0101.',
    ]) {
      expect(text).toContain(line);
    }
    expect(html).toContain('Sore &lt;knee&gt; &amp; ankle');
    expect(html).not.toContain('<knee>');
    expect(html).toContain('Tuesday 5 March 2030, 9:00 am NZDT (15 minutes)');
  });

  it('says where a rescheduled appointment was, and words a cancellation and a reminder', () => {
    expect(composeMessage('rescheduled', facts, ZONE, new Date('2030-03-04T19:00:00Z')).text).toContain(
      'Was: Tuesday 5 March 2030, 8:00 am NZDT',
    );
    expect(composeMessage('cancelled', facts, ZONE).subject).toMatch(/^Appointment cancelled: /);
    expect(composeMessage('cancelled', facts, ZONE).text).toContain('removes it from your calendar');
    expect(composeMessage('reminder', facts, ZONE).subject).toMatch(/^Reminder: appointment Tue 5 Mar, 9:00 am NZDT/);
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
