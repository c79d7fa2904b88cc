/**
 * Tags for journeys that need one viewport: the config's "phone" project (390 px) leaves out DESK_ONLY
 * and the "desk" project (1280 px) leaves out PHONE_ONLY. Everything else runs on both.
 */
export const DESK_ONLY = '@desk-only';
export const PHONE_ONLY = '@phone-only';
