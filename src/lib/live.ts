/**
 * How often what other desks and patients change is looked for again: lists that must be live (the
 * diary, a booking form's free slots) poll this often while they are on screen. The issue asks for
 * changes within 10 s; half of that leaves room for a slow answer. An unchanged list costs a 304.
 */
export const LIVE_POLL_MS = 5_000;
