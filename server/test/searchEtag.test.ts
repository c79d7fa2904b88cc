/**
 * A polled search is cheap when nothing changed: every search answers with a weak ETag over its
 * Bundle, If-None-Match naming it gets 304 with no body, and any change to a matching resource (or to
 * what is included) gives a new tag and the whole Bundle again.
 */
import type { Appointment } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noneMatchNames } from '../http/searchEtag';
import { apiOf, type Api } from './api';
import { proposal } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;
let booked: Appointment;
const DIARY =
  'Appointment?location=Location/loc-1&date=2030-03-05&_include=Appointment:patient&_include=Appointment:practitioner';

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
  booked = await api.book(proposal({ time: '09:00' }));
});
afterAll(() => server.close());

describe('ETag and 304 on searches', () => {
  it('tags a search, and the same search again has the same tag, kept by no cache (the app keeps the Bundle itself)', async () => {
    const first = await api.get(DIARY);
    const again = await api.get(DIARY);
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(/^W\/"b-[A-Za-z0-9_-]+"$/);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-type']).toMatch(/^application\/fhir\+json/);
  });

  it('answers 304 with no body when If-None-Match names the tag (weakly, in a list, or *)', async () => {
    const etag = String((await api.get(DIARY)).headers.etag);
    for (const header of [etag, etag.replace(/^W\//, ''), `W/"other", ${etag}`, '*']) {
      const unchanged = await api.get(DIARY, { 'if-none-match': header });
      expect(unchanged.statusCode, header).toBe(304);
      expect(unchanged.body).toBe('');
      expect(unchanged.headers.etag).toBe(etag);
    }
    expect((await api.get(DIARY, { 'if-none-match': 'W/"b-other"' })).statusCode).toBe(200);
  });

  it('gives a new tag and the whole Bundle once a matching appointment changes', async () => {
    const before = String((await api.get(DIARY)).headers.etag);
    expect((await api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' })).statusCode).toBe(200);
    const after = await api.get(DIARY, { 'if-none-match': before });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(after.json().entry.some((entry: { resource: Appointment }) => entry.resource.status === 'cancelled')).toBe(
      true,
    );
  });

  it('gives another search another tag', async () => {
    const diary = await api.get(DIARY);
    const other = await api.get('Appointment?location=Location/loc-1&date=2030-03-06');
    expect(other.headers.etag).not.toBe(diary.headers.etag);
    expect(
      (
        await api.get('Appointment?location=Location/loc-1&date=2030-03-06', {
          'if-none-match': String(diary.headers.etag),
        })
      ).statusCode,
    ).toBe(200);
  });

  it('compares tags weakly and ignores an empty header', () => {
    expect(noneMatchNames(undefined, 'W/"a"')).toBe(false);
    expect(noneMatchNames('', 'W/"a"')).toBe(false);
    expect(noneMatchNames('"a"', 'W/"a"')).toBe(true);
    expect(noneMatchNames('W/"b" , W/"a"', 'W/"a"')).toBe(true);
    expect(noneMatchNames('W/"b"', 'W/"a"')).toBe(false);
  });
});
