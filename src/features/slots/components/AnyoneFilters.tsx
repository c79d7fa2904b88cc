import type { RoleFilter } from '../api/firstAvailable';
import type { AnyoneAmong } from '../hooks/useBookableTimes';
import { FilterSelect } from './FilterSelect';

interface AnyoneFiltersProps {
  /** The practice's clinics. */
  locations: Array<{ id: string; name: string }>;
  /** The clinic of the patient's last visit: listed first and said so. */
  usualClinicId: string | undefined;
  value: AnyoneAmong;
  onChange: (value: AnyoneAmong) => void;
}

/** Where and whom "first available" means for a patient: one clinic (their usual one first) and a role. */
export function AnyoneFilters({ locations, usualClinicId, value, onChange }: AnyoneFiltersProps) {
  const usual = locations.find((place) => place.id === usualClinicId);
  const ordered = usual ? [usual, ...locations.filter((place) => place !== usual)] : locations;
  return (
    <div className="anyone-filters">
      <FilterSelect
        label="Clinic"
        value={value.locationId}
        options={ordered.map((place) => [place.id, place === usual ? `${place.name} (your usual clinic)` : place.name])}
        onChange={(locationId) => onChange({ ...value, locationId })}
      />
      <FilterSelect<RoleFilter>
        label="See"
        value={value.role}
        options={[
          ['', 'A GP or a nurse'],
          ['gp', 'A GP'],
          ['nurse', 'A nurse'],
        ]}
        onChange={(role) => onChange({ ...value, role })}
      />
    </div>
  );
}
