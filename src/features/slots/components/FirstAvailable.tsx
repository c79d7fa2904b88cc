import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FilterSelect } from './FilterSelect';
import { EmptyState } from '../../../components/EmptyState';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { addClinicDays, clinicDate } from '../../../../domain/clinicTime';
import { DELIVERY_CHANNEL_DISPLAY, DELIVERY_CHANNELS, type DeliveryChannel } from '../../../../domain/extensions';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { formatCalendarDate, formatClinicTime } from '../../../lib/format';
import { useServerCapabilities } from '../../../lib/serverCapabilities';
import {
  firstAvailableQuery,
  PART_OF_DAY_LABEL,
  ROLES,
  WANTED,
  WINDOW_DAYS,
  type AvailableTime,
  type PartOfDay,
  type RoleFilter,
} from '../api/firstAvailable';

interface FirstAvailableProps {
  /** The places to choose from (the screen knows them). */
  locations: Array<{ id: string; name: string }>;
  /** Picks the time into the booking: practitioner, location and slot. */
  onPick: (time: AvailableTime) => void;
}

/** The earliest free times with anyone at a location, filtered, from a date: the desk's "first available". */
export function FirstAvailable({ locations, onPick }: FirstAvailableProps) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const capabilities = useServerCapabilities();
  const today = clinicDate(new Date(), timeZone);
  const [locationId, setLocationId] = useState(locations[0]?.id ?? '');
  const [role, setRole] = useState<RoleFilter>('');
  const [channel, setChannel] = useState<DeliveryChannel | ''>('');
  const [partOfDay, setPartOfDay] = useState<PartOfDay>('');
  const [from, setFrom] = useState(today);
  const fromId = useId();
  const resultsId = useId();
  const validFrom = /^\d{4}-\d{2}-\d{2}$/.test(from) && from >= today ? from : today;
  const query = useQuery(
    firstAvailableQuery(client, {
      locationId: locationId || locations[0]?.id || '',
      role,
      channel,
      partOfDay,
      from: validFrom,
      days: WINDOW_DAYS,
      wanted: WANTED,
      onlineOnly: false,
      timeZone,
      server: {
        serviceType: capabilities.supportsSearchParam('Slot', 'service-type'),
        channel: capabilities.supportsSearchParam('Slot', 'channel'),
      },
    }),
  );
  const days = new Map<string, AvailableTime[]>();
  for (const time of query.data?.times ?? []) days.set(time.day, [...(days.get(time.day) ?? []), time]);

  return (
    <div className="first-available">
      <div className="first-available__filters">
        <FilterSelect
          label="Location"
          value={locationId || locations[0]?.id || ''}
          options={locations.map((place) => [place.id, place.name])}
          onChange={setLocationId}
        />
        <FilterSelect<RoleFilter>
          label="Role"
          value={role}
          options={[
            ['', 'Any role'],
            ['gp', ROLES.gp.label],
            ['nurse', ROLES.nurse.label],
          ]}
          onChange={setRole}
        />
        <FilterSelect<DeliveryChannel | ''>
          label="Channel"
          value={channel}
          options={[
            ['', 'Any channel'],
            ...DELIVERY_CHANNELS.map((code): [DeliveryChannel, string] => [code, DELIVERY_CHANNEL_DISPLAY[code]]),
          ]}
          onChange={setChannel}
        />
        <FilterSelect<PartOfDay>
          label="Part of day"
          value={partOfDay}
          options={[
            ['', 'Any time'],
            ['morning', PART_OF_DAY_LABEL.morning],
            ['afternoon', PART_OF_DAY_LABEL.afternoon],
          ]}
          onChange={setPartOfDay}
        />
        <div className="field">
          <label htmlFor={fromId} className="field__label">
            From
          </label>
          <input
            id={fromId}
            className="input"
            type="date"
            min={today}
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          />
        </div>
      </div>
      <section aria-labelledby={resultsId} aria-busy={query.isFetching} className="first-available__results">
        <h3 id={resultsId} className="first-available__title">
          Earliest free times from {formatCalendarDate(validFrom)}
        </h3>
        {query.isPending && <Loading label="Looking for free times…" />}
        {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
        {query.data && (
          <p role="status" className="field__hint">
            {query.data.stoppedEarly
              ? `Showing the ${query.data.times.length} earliest found before the search limit; there may be more. Choose a later "From" date to see further.`
              : query.data.times.length === 0
                ? ''
                : `${query.data.times.length === 1 ? '1 time' : `${query.data.times.length} times`}, earliest first, over the ${WINDOW_DAYS} days from ${formatCalendarDate(validFrom)}.`}
          </p>
        )}
        {query.data && query.data.times.length === 0 && (
          <EmptyState
            title={`No free times that match in the ${WINDOW_DAYS} days from ${formatCalendarDate(validFrom)}.`}
          >
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setFrom(addClinicDays(validFrom, WINDOW_DAYS))}
            >
              Look from {formatCalendarDate(addClinicDays(validFrom, WINDOW_DAYS))}
            </button>
          </EmptyState>
        )}
        {[...days].map(([day, times]) => (
          <div key={day} className="first-available__day">
            <h4 className="slot-day__title">{formatCalendarDate(day)}</h4>
            <ul className="result-list">
              {times.map((time) => (
                <li key={time.slotId}>
                  <button type="button" className="result" onClick={() => onPick(time)}>
                    <span className="result__name">
                      {formatClinicTime(time.startsAt, timeZone)} with {time.practitioner.name}
                    </span>
                    <span className="result__facts">
                      {time.role && <span>{time.role}</span>}
                      <span>{time.location.name}</span>
                      {time.channelLabel && <span>{time.channelLabel}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </div>
  );
}
