/**
 * Where demo patients live and how they are reached: New Zealand cities, suburbs with their real
 * postcodes, street names and mobile numbers in the shapes New Zealanders write them.
 * Most patients live in the three cities that have a demo clinic, so bookings look local.
 */
import type { Address, ContactPoint } from 'fhir/r4';
import type { Random } from './random';

export interface City {
  name: string;
  /** Share of demo patients living there. */
  weight: number;
  /** [suburb, postcode] */
  suburbs: ReadonlyArray<readonly [string, string]>;
}

export const CITIES: readonly City[] = [
  {
    name: 'Auckland',
    weight: 45,
    suburbs: [
      ['Ponsonby', '1011'],
      ['Grey Lynn', '1021'],
      ['Mount Eden', '1024'],
      ['Onehunga', '1061'],
      ['Ōtāhuhu', '1062'],
      ['Māngere', '2022'],
      ['Papatoetoe', '2025'],
      ['Manurewa', '2102'],
      ['Henderson', '0612'],
      ['Glenfield', '0629'],
    ],
  },
  {
    name: 'Wellington',
    weight: 25,
    suburbs: [
      ['Karori', '6012'],
      ['Newtown', '6021'],
      ['Kilbirnie', '6022'],
      ['Miramar', '6022'],
      ['Island Bay', '6023'],
      ['Johnsonville', '6037'],
    ],
  },
  {
    name: 'Christchurch',
    weight: 20,
    suburbs: [
      ['Riccarton', '8011'],
      ['Sydenham', '8023'],
      ['Addington', '8024'],
      ['Hornby', '8042'],
      ['Papanui', '8053'],
      ['Sumner', '8081'],
    ],
  },
  {
    name: 'Hamilton',
    weight: 4,
    suburbs: [
      ['Frankton', '3204'],
      ['Chartwell', '3210'],
      ['Hamilton East', '3216'],
    ],
  },
  {
    name: 'Tauranga',
    weight: 3,
    suburbs: [
      ['Greerton', '3112'],
      ['Mount Maunganui', '3116'],
    ],
  },
  {
    name: 'Dunedin',
    weight: 3,
    suburbs: [
      ['North East Valley', '9010'],
      ['Mornington', '9011'],
      ['St Clair', '9012'],
    ],
  },
];

const STREETS = [
  'Karaka Street',
  'Rātā Street',
  'Kōwhai Road',
  'Pōhutukawa Avenue',
  'Tōtara Drive',
  'Tītoki Street',
  'Rimu Road',
  'Great North Road',
  'Queen Street',
  'Victoria Street',
  'Church Street',
  'Beach Road',
  'Hillside Road',
  'Moana Avenue',
  'Harbour View Road',
  'Main Road',
  'Park Avenue',
  'Nikau Crescent',
  'Kauri Place',
  'Station Road',
];

export function homeAddress(random: Random, city: City): Address {
  const [suburb, postalCode] = random.pick(city.suburbs);
  const unit = random.chance(0.1) ? `${random.int(1, 12)}/` : '';
  return {
    use: 'home',
    type: 'physical',
    // NZ addresses put the suburb on the second line; the city and postcode have their own elements.
    line: [`${unit}${random.int(1, 240)} ${random.pick(STREETS)}`, suburb],
    city: city.name,
    postalCode,
    country: 'NZ',
  };
}

/** A mobile number as people write it here, e.g. 021 483 2917 (021, 022 and 027 are the main networks). */
export function mobileNumber(random: Random): ContactPoint {
  const prefix = random.pick(['021', '022', '027']);
  const middle = String(random.int(200, 999));
  const last = String(random.int(0, 9999)).padStart(4, '0');
  return { system: 'phone', use: 'mobile', value: `${prefix} ${middle} ${last}` };
}

/** Letters only, no macrons or spaces, for made-up e-mail addresses. */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** Always at example.com (reserved for examples by RFC 2606), so demo mail never reaches anyone. */
export function emailAddress(given: string, family: string, random: Random): ContactPoint {
  const number = random.chance(0.5) ? String(random.int(1, 99)) : '';
  return { system: 'email', use: 'home', value: `${asciiSlug(given)}.${asciiSlug(family)}${number}@example.com` };
}
