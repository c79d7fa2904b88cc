import { describe, expect, it } from 'vitest';
import { hrefFor, parseAppState, PATHS } from './urlState';

describe('URL state', () => {
  it('round-trips the screen state through a shareable link', () => {
    const state = {
      patient: 'pat-00001',
      practitioner: 'prac-parata',
      location: 'loc-ponsonby',
      week: '2026-11-23',
      slot: 'slot-1',
    };
    const href = hrefFor(PATHS.book, state);
    expect(href).toBe(
      '/book?patient=pat-00001&practitioner=prac-parata&location=loc-ponsonby&week=2026-11-23&slot=slot-1',
    );
    expect(parseAppState(href.split('?')[1])).toEqual(state);
  });

  it('drops values that are not ids, and weeks that do not start on a Monday', () => {
    expect(parseAppState('patient=<script>&week=2026-11-24&practitioner=prac-1')).toEqual({ practitioner: 'prac-1' });
    expect(parseAppState('week=2026-13-40')).toEqual({});
  });
});
