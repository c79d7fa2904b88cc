import { useState } from 'react';
import { clinicDate, startOfClinicWeek } from '../../../../domain/clinicTime';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../../../../domain/extensions';
import { useAppConfig } from '../../../lib/appContext';
import { daysOf } from '../components/DayAndTimeChoice';
import { useBookableTimes, type BookableTime, type WhoseTimes } from './useBookableTimes';

export type BookableTimeChoiceState = ReturnType<typeof useBookableTimeChoice>;

/** A week, how to be seen, a day in it, then a time: a patient's way to a free time of whoever they chose. */
export function useBookableTimeChoice(whose: WhoseTimes) {
  const { timeZone } = useAppConfig();
  const thisWeek = startOfClinicWeek(clinicDate(new Date(), timeZone));
  const [week, setWeek] = useState(thisWeek);
  const [channel, setChannel] = useState<DeliveryChannel | ''>('');
  const [day, setDay] = useState<string | undefined>();
  const [time, setTime] = useState<BookableTime | undefined>();
  const times = useBookableTimes(whose, week);

  // The channels the practice offers this week, in the usual order; a chosen one stays offered so it can be undone.
  const offered = new Set(times.options.flatMap((option) => (option.channel ? [option.channel] : [])));
  const channels = DELIVERY_CHANNELS.filter((code) => offered.has(code) || code === channel);
  const options = channel ? times.options.filter((option) => option.channel === channel) : times.options;
  // The first day with a free time is chosen already: "first available" needs no more taps.
  const days = daysOf(options);
  const shownDay = day && days.some((found) => found.day === day) ? day : days[0]?.day;
  // A time another booking has taken since is no longer offered, so no longer chosen.
  const chosen = time && options.some((option) => option.id === time.id) ? time : undefined;

  return {
    thisWeek,
    week,
    times,
    channels,
    channel,
    options,
    days,
    day: shownDay,
    dayTimes: options.filter((option) => option.day === shownDay),
    chosen,
    changeWeek: (weekStart: string) => {
      setWeek(weekStart);
      setDay(undefined);
      setTime(undefined);
    },
    chooseChannel: (next: DeliveryChannel | '') => {
      setChannel(next);
      setDay(undefined);
      setTime(undefined);
    },
    chooseDay: (next: string) => {
      setDay(next);
      setTime(undefined);
    },
    chooseTime: (id: string) => setTime(options.find((found) => found.id === id)),
    /** Someone else was chosen: the week and channel stay, the day and time start again. */
    clearDayAndTime: () => {
      setDay(undefined);
      setTime(undefined);
    },
    clearTime: () => setTime(undefined),
  };
}
