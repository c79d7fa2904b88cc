import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { UpcomingAppointments } from '../../features/appointments/components/UpcomingAppointments';
import { BookingConfirmation } from '../../features/booking/components/BookingConfirmation';
import { BookingForm } from '../../features/booking/components/BookingForm';
import type { BookingResult } from '../../features/booking/api/useBookAppointment';
import { patientQueries } from '../../features/patients/api/patientQueries';
import { PatientSearch } from '../../features/patients/components/PatientSearch';
import {
  locationQueries,
  practitionerQueries,
  scheduleLocations,
  schedulesAt,
} from '../../features/practitioners/api/practitionerQueries';
import { LocationPicker } from '../../features/practitioners/components/LocationPicker';
import { PractitionerPicker } from '../../features/practitioners/components/PractitionerPicker';
import { slotQueries } from '../../features/slots/api/slotQueries';
import { FirstAvailable } from '../../features/slots/components/FirstAvailable';
import { SlotPicker } from '../../features/slots/components/SlotPicker';
import { LoadError } from '../../components/ErrorSummary';
import { Loading } from '../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../lib/appContext';
import { clinicDate, startOfClinicWeek } from '../../../domain/clinicTime';
import { formatClinicDateTime, humanName } from '../../lib/format';
import { usePageTitle } from '../usePageTitle';
import { ANY_LOCATION, hrefFor, PATHS, useAppState, useUpdateAppState } from '../urlState';
import { NeedPatient } from './NeedPatient';

export function BookScreen() {
  const state = useAppState();
  usePageTitle('Book an appointment');
  // From the diary's free slot: the time is chosen, the patient is the next thing to find.
  if (!state.patient && state.slot && state.practitioner) return <PatientForSlot />;
  if (!state.patient) return <NeedPatient title="Book an appointment" />;
  return <Booking key={state.patient} patientId={state.patient} />;
}

function Booking({ patientId }: { patientId: string }) {
  const state = useAppState();
  const update = useUpdateAppState();
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const { timeZone } = useAppConfig();
  const [booked, setBooked] = useState<BookingResult | null>(null);
  const [firstAvailableOpen, setFirstAvailableOpen] = useState(false);
  const [picked, setPicked] = useState('');

  const thisWeek = startOfClinicWeek(clinicDate(new Date(), timeZone));
  const week = state.week ?? thisWeek;
  const patient = useQuery(patientQueries.detail(client, patientId));
  const practitioner = useQuery({
    ...practitionerQueries.detail(client, state.practitioner ?? ''),
    enabled: Boolean(state.practitioner),
  });
  const schedules = useQuery({
    ...practitionerQueries.schedules(client, state.practitioner ?? ''),
    enabled: Boolean(state.practitioner),
  });
  const places = schedules.data ? scheduleLocations(schedules.data) : [];
  // One place needs no choosing; "any" is an explicit choice of none.
  const locationId =
    state.location === ANY_LOCATION ? undefined : (state.location ?? (places.length === 1 ? places[0].id : undefined));
  const scheduleIds = schedules.data ? schedulesAt(schedules.data, locationId) : [];
  const slots = useQuery({
    ...slotQueries.week(client, { practitionerId: state.practitioner ?? '', scheduleIds, weekStart: week, timeZone }),
    enabled: Boolean(state.practitioner) && scheduleIds.length > 0,
  });
  const chosenSlot = slots.data?.find((slot) => slot.id === state.slot);
  const allLocations = useQuery({ ...locationQueries.all(client), enabled: firstAvailableOpen });

  if (patient.isPending) return <Loading label="Loading the patient…" />;
  if (patient.isError) return <LoadError error={patient.error} onRetry={() => void patient.refetch()} />;
  const patientName = humanName(patient.data.name);
  const practitionerName = practitioner.data ? humanName(practitioner.data.name) : undefined;
  const locationName = places.find((place) => place.id === locationId)?.name;

  if (booked) {
    return (
      <div className="screen">
        <h1 className="screen__title">Book an appointment</h1>
        <BookingConfirmation
          appointment={booked.appointment}
          recovered={booked.recovered}
          names={{ Patient: patientName, Practitioner: practitionerName, Location: locationName }}
          actions={
            <>
              <button type="button" className="button button--primary" onClick={() => setBooked(null)}>
                Book another appointment
              </button>
              <Link
                href={hrefFor(PATHS.appointments, { ...state, slot: undefined })}
                className="button button--secondary"
              >
                See the patient&apos;s appointments
              </Link>
            </>
          }
        />
      </div>
    );
  }

  return (
    <div className="screen">
      <h1 className="screen__title">Book an appointment</h1>
      <UpcomingAppointments patientId={patientId} />
      <details
        className="card first-available-card"
        open={firstAvailableOpen}
        onToggle={(event) => setFirstAvailableOpen(event.currentTarget.open)}
      >
        <summary className="card__title">First available: the earliest free times with anyone at a location</summary>
        {firstAvailableOpen && allLocations.isPending && <Loading label="Loading locations…" />}
        {allLocations.isError && <LoadError error={allLocations.error} onRetry={() => void allLocations.refetch()} />}
        {allLocations.data && (
          <FirstAvailable
            locations={allLocations.data}
            onPick={(time) => {
              update({
                practitioner: time.practitioner.id,
                location: time.location.id,
                week: startOfClinicWeek(time.day),
                slot: time.slotId,
              });
              setFirstAvailableOpen(false);
              // The picked button goes with the closed panel: the focus goes on to checking and booking.
              requestAnimationFrame(() => document.getElementById('booking-check')?.focus());
              setPicked(
                `Picked ${formatClinicDateTime(time.startsAt, timeZone)} with ${time.practitioner.name} at ${time.location.name}: check and book below.`,
              );
            }}
          />
        )}
      </details>
      <p role="status" className="visually-hidden">
        {picked}
      </p>
      <BookingForm
        patient={{ id: patientId, name: patientName }}
        practitioner={
          state.practitioner ? { id: state.practitioner, name: practitionerName ?? state.practitioner } : undefined
        }
        location={locationId ? { id: locationId, name: locationName ?? 'Unnamed location' } : undefined}
        slot={chosenSlot ? { id: chosenSlot.id, start: chosenSlot.start, end: chosenSlot.end } : undefined}
        renderPractitioner={(field) => (
          <PractitionerPicker
            practitionerId={state.practitioner}
            onChoose={(chosen) => {
              if (chosen.id) queryClient.setQueryData(practitionerQueries.detail(client, chosen.id).queryKey, chosen);
              update({ practitioner: chosen.id, location: undefined, slot: undefined });
            }}
            errorId={field.errorId}
            invalid={field.invalid}
          />
        )}
        renderLocation={(field) =>
          state.practitioner && (
            <LocationPicker
              practitionerId={state.practitioner}
              locationId={locationId}
              onChoose={(place) => update({ location: place?.id ?? ANY_LOCATION, slot: undefined }, { replace: true })}
              errorId={field.errorId}
              invalid={field.invalid}
            />
          )
        }
        renderSlots={(field) =>
          state.practitioner &&
          (schedules.isPending ? (
            <Loading label="Loading the practitioner's schedule…" />
          ) : (
            <SlotPicker
              practitionerId={state.practitioner}
              scheduleIds={scheduleIds}
              weekStart={week}
              thisWeek={thisWeek}
              selectedSlotId={chosenSlot?.id}
              onSelect={(slot) => update({ slot: slot.id }, { replace: true })}
              onWeekChange={(weekStart) => update({ week: weekStart, slot: undefined })}
              errorId={field.errorId}
              invalid={field.invalid}
            />
          ))
        }
        onBooked={(result) => {
          if (state.from === 'diary') {
            // Back to the day it was booked from, which names what was booked.
            update(
              {
                patient: undefined,
                slot: undefined,
                week: undefined,
                from: undefined,
                practitioner: undefined,
                booked: result.appointment.id,
              },
              { path: PATHS.diary },
            );
            return;
          }
          setBooked(result);
          update({ slot: undefined }, { replace: true });
        }}
        onSlotTaken={() => update({ slot: undefined }, { replace: true })}
      />
    </div>
  );
}

/** The booking's first step when a free slot was picked in the diary: whom it is for, with the search focused. */
function PatientForSlot() {
  const state = useAppState();
  const update = useUpdateAppState();
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const { timeZone } = useAppConfig();
  const searchArea = useRef<HTMLDivElement>(null);
  const practitioner = useQuery({
    ...practitionerQueries.detail(client, state.practitioner ?? ''),
    enabled: Boolean(state.practitioner),
  });
  const schedules = useQuery({
    ...practitionerQueries.schedules(client, state.practitioner ?? ''),
    enabled: Boolean(state.practitioner),
  });
  const scheduleIds = schedules.data
    ? schedulesAt(schedules.data, state.location === ANY_LOCATION ? undefined : state.location)
    : [];
  const slots = useQuery({
    ...slotQueries.week(client, {
      practitionerId: state.practitioner ?? '',
      scheduleIds,
      weekStart: state.week ?? startOfClinicWeek(clinicDate(new Date(), timeZone)),
      timeZone,
    }),
    enabled: scheduleIds.length > 0,
  });
  const slot = slots.data?.find((candidate) => candidate.id === state.slot);
  useEffect(() => {
    searchArea.current?.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  }, []);
  return (
    <div className="screen screen--narrow">
      <h1 className="screen__title">Book an appointment</h1>
      <p className="notice">
        {slot ? formatClinicDateTime(slot.startsAt, timeZone) : 'The chosen time'} with{' '}
        {practitioner.data ? humanName(practitioner.data.name) : 'the practitioner'}: find the patient.
      </p>
      <div ref={searchArea}>
        <PatientSearch
          onChoose={(patient) => {
            if (patient.id) queryClient.setQueryData(patientQueries.detail(client, patient.id).queryKey, patient);
            update({ patient: patient.id }, { replace: true });
          }}
        />
      </div>
      {state.from === 'diary' && (
        <Link
          href={hrefFor(PATHS.diary, { location: state.location, date: state.date })}
          className="button button--secondary"
        >
          Back to the diary
        </Link>
      )}
    </div>
  );
}
