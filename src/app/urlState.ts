/**
 * The app's state lives in the URL (screen in the path; patient, practitioner, location, week and
 * slot in the query), so reload, back and a shared link all land where the receptionist was.
 */
import { useCallback } from 'react';
import { useLocation, useSearch } from 'wouter';
import { clinicWeekday } from '../../domain/clinicTime';

export const PATHS = {
  find: '/',
  book: '/book',
  appointments: '/appointments',
  diary: '/diary',
  messages: '/messages',
  mine: '/my',
  bookMine: '/my/book',
} as const;
export type ScreenPath = (typeof PATHS)[keyof typeof PATHS];

export interface AppState {
  patient?: string;
  practitioner?: string;
  /** A Location id, or ANY_LOCATION when the receptionist chose none in particular. */
  location?: string;
  /** The Monday (YYYY-MM-DD) of the clinic week shown. */
  week?: string;
  slot?: string;
  /** The diary's clinic date (YYYY-MM-DD). */
  date?: string;
  /** The diary's view: the whole location's day, or one practitioner's week. */
  view?: 'day' | 'week';
  /** Where a booking started, to go back there when it is made (`diary`). */
  from?: 'diary';
  /** The appointment just booked, for the screen returned to to name it. */
  booked?: string;
}

export const ANY_LOCATION = 'any';
const KEYS: Array<keyof AppState> = [
  'patient',
  'practitioner',
  'location',
  'week',
  'slot',
  'date',
  'view',
  'from',
  'booked',
];
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

function isMonday(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) && clinicWeekday(value) === 1;
}

export function parseAppState(search: string): AppState {
  const params = new URLSearchParams(search);
  const state: AppState = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value === null) continue;
    if (key === 'view') {
      if (value === 'day' || value === 'week') state.view = value;
    } else if (key === 'from') {
      if (value === 'diary') state.from = value;
    } else if (key === 'date' ? isDate(value) : key === 'week' ? isMonday(value) : ID.test(value)) state[key] = value;
  }
  return state;
}

export function hrefFor(path: ScreenPath, state: AppState): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (value) params.set(key, value);
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export function useAppState(): AppState {
  return parseAppState(useSearch());
}

/** Changes part of the state; `replace` for refinements that should not each be a Back step. */
export function useUpdateAppState() {
  const [location, navigate] = useLocation();
  const search = useSearch();
  return useCallback(
    (patch: Partial<AppState>, options: { path?: ScreenPath; replace?: boolean } = {}) => {
      const path =
        options.path ?? ((Object.values(PATHS) as string[]).includes(location) ? (location as ScreenPath) : PATHS.find);
      navigate(hrefFor(path, { ...parseAppState(search), ...patch }), { replace: options.replace ?? false });
    },
    [location, navigate, search],
  );
}
