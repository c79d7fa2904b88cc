import { describe, expect, it } from 'vitest';
import { ClientsFileError, parseSmartClients } from './registeredClients';

const PUBLIC_APP = {
  client_id: 'growth-chart',
  client_name: 'Growth Chart',
  redirect_uris: ['https://apps.example.org/growth/'],
  token_endpoint_auth_method: 'none',
  scope: 'launch/patient openid fhirUser patient/*.rs',
};

function refusal(entries: unknown): string {
  try {
    parseSmartClients(JSON.stringify(entries), ['machine']);
  } catch (error) {
    expect(error).toBeInstanceOf(ClientsFileError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('SMART_CLIENTS_FILE', () => {
  it('reads RFC 7591 client metadata: public and client_secret_basic clients, their redirects kept exactly', () => {
    const clients = parseSmartClients(
      JSON.stringify([
        PUBLIC_APP,
        {
          client_id: 'recalls',
          redirect_uris: ['https://recalls.example.org/callback?from=smart'],
          client_secret: 'recalls-secret-0123456789',
        },
      ]),
    );
    expect(clients).toEqual([
      {
        id: 'growth-chart',
        name: 'Growth Chart',
        secret: null,
        redirectUris: ['https://apps.example.org/growth/'],
        scope: 'launch/patient openid fhirUser patient/*.rs',
      },
      {
        id: 'recalls',
        name: 'recalls',
        secret: 'recalls-secret-0123456789',
        redirectUris: ['https://recalls.example.org/callback?from=smart'],
      },
    ]);
  });

  it.each([
    ['not JSON', undefined, /not JSON/],
    ['not an array', { clients: [] }, /JSON array/],
    ['a client without redirect_uris', [{ ...PUBLIC_APP, redirect_uris: undefined }], /"growth-chart": redirect_uris/],
    ['a redirect with a fragment', [{ ...PUBLIC_APP, redirect_uris: ['https://a.example/#x'] }], /without a fragment/],
    ['a relative redirect', [{ ...PUBLIC_APP, redirect_uris: ['/growth'] }], /absolute http\(s\)/],
    ['an unknown auth method', [{ ...PUBLIC_APP, token_endpoint_auth_method: 'private_key_jwt' }], /"none"/],
    ['a public client with a secret', [{ ...PUBLIC_APP, client_secret: 'x'.repeat(20) }], /has no client_secret/],
    [
      'a short secret',
      [{ ...PUBLIC_APP, token_endpoint_auth_method: 'client_secret_basic', client_secret: 'short' }],
      /at least 16/,
    ],
    ['a scope it cannot grant', [{ ...PUBLIC_APP, scope: 'patient/*.rs admin' }], /not understood: admin/],
    ['the built-in app taken', [{ ...PUBLIC_APP, client_id: 'nz-appointments-app' }], /already in use/],
    ['the machine client taken', [{ ...PUBLIC_APP, client_id: 'machine' }], /already in use/],
    ['one id twice', [PUBLIC_APP, PUBLIC_APP], /already in use/],
    ['a bad client_id', [{ ...PUBLIC_APP, client_id: 'a b' }], /entry 1: client_id/],
  ])('stops the start for %s, saying what to fix', (_name, entries, message) => {
    expect(entries === undefined ? messageOf('[{') : refusal(entries)).toMatch(message);
  });
});

function messageOf(text: string): string {
  try {
    parseSmartClients(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
}
