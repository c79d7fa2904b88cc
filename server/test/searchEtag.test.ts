/**
 * A polled search is cheap when nothing changed: every search answers with a weak ETag over its
 * Bundle, If-None-Match naming it gets 304 with no body, and any change to a matching resource (or to
 * what is included) gives a new tag and the whole Bundle again.
 */
import type { Appointment } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, noneMatchNames } from '../http/searchEtag';
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

  it('reads Accept-Encoding with its weights', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('deflate, br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('large search answers, compressed for a client that accepts gzip', () => {
  const SLOTS = 'Slot?start=ge2030-03-05&start=lt2030-03-06&_count=200';

  it('sends the same Bundle gzipped, with the same tag, varying by Accept-Encoding', async () => {
    const plain = await api.get(SLOTS);
    expect(plain.rawPayload.length).toBeGreaterThan(4 * 1024);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(String(plain.headers.vary)).toMatch(/Accept-Encoding/);
    for (let again = 0; again < 2; again++) {
      const gzipped = await api.get(SLOTS, { 'accept-encoding': 'gzip, deflate, br' });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.headers.etag).toBe(plain.headers.etag);
      expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
      expect(gunzipSync(gzipped.rawPayload).toString()).toBe(plain.body);
    }
    const refused = await api.get(SLOTS, { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('sends a small answer as it is', async () => {
    const small = await api.get('Slot?start=ge2030-03-05&_count=1', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json().resourceType).toBe('Bundle');
  });
});
