import type { Appointment, Resource, Schedule, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryChannelExtension, withDeliveryChannel, type DeliveryChannel } from '../../domain/extensions';
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import type { Criterion, SearchSpec, SearchableType } from './searchSpec';
import { searchSql } from './searchSql';
import { SqlFhirStore } from './sqlFhirStore';
import { defineStoreOperation } from './storeOperation';

const NOW = new Date('2030-03-04T00:00:00Z');
const SERVICE_TYPE = 'http://terminology.hl7.org/CodeSystem/service-type';
const service = (code: string) => [{ coding: [{ system: SERVICE_TYPE, code }] }];

const schedule = (id: string, code: string): Schedule => ({
  resourceType: 'Schedule',
  id,
  serviceType: service(code),
  actor: [{ reference: `Practitioner/${id}` }],
});
const slot = (
  id: string,
  scheduleId: string,
  channel: DeliveryChannel | undefined,
  code: string,
  time: string,
): Slot => ({
  resourceType: 'Slot',
  id,
  ...(channel ? { extension: [deliveryChannelExtension(channel)] } : {}),
  schedule: { reference: `Schedule/${scheduleId}` },
  serviceType: service(code),
  status: 'free',
  start: `2030-03-05T${time}:00+13:00`,
  end: `2030-03-05T${time.slice(0, 3)}${String(Number(time.slice(3)) + 15).padStart(2, '0')}:00+13:00`,
});
const appointment = (id: string, channel: DeliveryChannel): Appointment => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  extension: [deliveryChannelExtension(channel)],
  serviceType: service('124'),
  start: '2030-03-05T09:00:00+13:00',
  end: '2030-03-05T09:15:00+13:00',
  participant: [{ actor: { reference: `Patient/${id}-patient` }, status: 'accepted' }],
});

const changeChannel = defineStoreOperation(
  import.meta.url,
  'changeChannel',
  async (tx, { id, to }: { id: string; to: DeliveryChannel }) => {
    const stored = (await tx.readForUpdate<Slot>('Slot', id)) as Slot;
    return tx.update(withDeliveryChannel(stored, to), NOW);
  },
);

const markBusy = defineStoreOperation(import.meta.url, 'markBusy', async (tx, id: string) => {
  const stored = (await tx.readForUpdate<Slot>('Slot', id)) as Slot;
  return tx.update({ ...stored, status: 'busy' }, NOW);
});

let sql: SqlClient;
let store: SqlFhirStore;
beforeAll(async () => {
  sql = await openPglite(undefined);
  store = await SqlFhirStore.open(sql);
  const resources: Resource[] = [
    schedule('gp', '124'),
    schedule('nurse', '59'),
    slot('gp-0900', 'gp', 'in-person', '124', '09:00'),
    slot('gp-0915', 'gp', 'video', '124', '09:15'),
    slot('gp-0930', 'gp', undefined, '124', '09:30'),
    slot('nurse-0900', 'nurse', 'telephone', '59', '09:00'),
    appointment('appt-1', 'video'),
    appointment('appt-2', 'in-person'),
  ];
  await store.bulkLoad(resources, NOW);
});
afterAll(async () => {
  await store.close();
});

async function ids(resourceType: SearchableType, ...criteria: Criterion[]): Promise<string[]> {
  const spec: SearchSpec = { resourceType, criteria, count: 100, offset: 0, descending: false, include: [] };
  return (await store.search(spec)).matches.map((found) => found.id as string);
}

const channel = (...codes: string[]): Criterion => ({
  kind: 'token',
  param: 'channel',
  anyOf: codes.map((value) => ({ value })),
});

describe('searchSql: token parameters kept as search_token rows', () => {
  it('finds slots and appointments by channel, alone or with other criteria, and never a slot without one', async () => {
    expect(await ids('Slot', channel('video'))).toEqual(['gp-0915']);
    expect(await ids('Slot', channel('video', 'telephone'))).toEqual(['nurse-0900', 'gp-0915']);
    expect(await ids('Slot', channel('in-person'), { kind: 'reference', param: 'schedule', anyOf: ['gp'] })).toEqual([
      'gp-0900',
    ]);
    expect(await ids('Slot', channel('telephone'), { kind: 'reference', param: 'schedule', anyOf: ['gp'] })).toEqual(
      [],
    );
    expect(await ids('Slot', channel('fax'))).toEqual([]);
    expect(await ids('Appointment', channel('video'))).toEqual(['appt-1']);
    expect(await ids('Appointment', channel('in-person'), { kind: 'status', anyOf: ['booked'] })).toEqual(['appt-2']);
  });

  it('finds by service-type with or without its system, and not under another system', async () => {
    const serviceType = (value: string, system?: string): Criterion => ({
      kind: 'token',
      param: 'service-type',
      anyOf: [{ value, ...(system ? { system } : {}) }],
    });
    expect(await ids('Schedule', serviceType('59'))).toEqual(['nurse']);
    expect(await ids('Slot', serviceType('124', SERVICE_TYPE))).toEqual(['gp-0900', 'gp-0915', 'gp-0930']);
    expect(await ids('Slot', serviceType('124', 'http://snomed.info/sct'))).toEqual([]);
    expect(await ids('Appointment', serviceType('124'), channel('video'))).toEqual(['appt-1']);
  });

  it('keeps the channel in step when a resource changes it', async () => {
    await store.run(changeChannel, { id: 'gp-0930', to: 'telephone' });
    expect(await ids('Slot', channel('telephone'))).toEqual(['nurse-0900', 'gp-0930']);
    await store.run(changeChannel, { id: 'gp-0930', to: 'video' });
    expect(await ids('Slot', channel('telephone'))).toEqual(['nurse-0900']);
    expect(await ids('Slot', channel('video'))).toEqual(['gp-0915', 'gp-0930']);
  });

  it('leaves the search rows of an update that does not change them as they are (a slot booked)', async () => {
    const rowsOf = (id: string) =>
      sql.query<{ row: string }>(
        `SELECT ctid::text || param || value AS row FROM search_token WHERE resource_type = 'Slot' AND id = $1 ORDER BY param`,
        [id],
      );
    const before = await rowsOf('gp-0915');
    await store.run(markBusy, 'gp-0915');
    expect(await rowsOf('gp-0915')).toEqual(before);
    expect(before).toHaveLength(2);
    expect(await ids('Slot', channel('video'), { kind: 'status', anyOf: ['busy'] })).toEqual(['gp-0915']);
  });

  it('binds every code as a parameter, never in the statement', () => {
    const { page } = searchSql({
      resourceType: 'Slot',
      criteria: [channel("video'; DROP TABLE resource; --")],
      count: 10,
      offset: 0,
      descending: false,
      include: [],
    });
    expect(page.text).not.toContain('DROP');
    expect(page.values).toContain("video'; DROP TABLE resource; --");
  });
});
