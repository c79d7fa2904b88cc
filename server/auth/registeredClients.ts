/**
 * SMART apps registered by the operator in SMART_CLIENTS_FILE: a JSON array of RFC 7591 client
 * metadata, read once at start. Anything wrong stops the start with a message naming the client and
 * the field, because a client half-registered would fail later at sign-in with no clue why.
 *
 *   [{ "client_id": "growth-chart", "client_name": "Growth chart",
 *      "redirect_uris": ["https://apps.example.org/growth/"], "token_endpoint_auth_method": "none",
 *      "scope": "launch/patient openid fhirUser patient/*.rs" }]
 */
import { readFileSync } from 'node:fs';
import { parseResourceScope, scopeList } from '../../domain/smartScopes';
import { APP_CLIENT_ID, type SmartClient } from './clients';
import { CONTEXT_SCOPES } from './grantedScopes';

export class ClientsFileError extends Error {}

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,100}$/;
const AUTH_METHODS = ['none', 'client_secret_basic'] as const;
const MIN_SECRET_LENGTH = 16;

function isExactRedirect(uri: unknown): uri is string {
  if (typeof uri !== 'string') return false;
  try {
    const parsed = new URL(uri);
    return /^https?:$/.test(parsed.protocol) && !uri.includes('#') && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

function client(entry: unknown, index: number): SmartClient {
  const where = `SMART_CLIENTS_FILE entry ${index + 1}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new ClientsFileError(`${where} must be an object of client metadata.`);
  const metadata = entry as Record<string, unknown>;
  const id = metadata.client_id;
  if (typeof id !== 'string' || !CLIENT_ID.test(id))
    throw new ClientsFileError(`${where}: client_id must be 1-100 letters, digits or . _ ~ -.`);
  const named = `SMART_CLIENTS_FILE client "${id}"`;
  const redirects = metadata.redirect_uris;
  if (!Array.isArray(redirects) || redirects.length === 0 || !redirects.every(isExactRedirect))
    throw new ClientsFileError(
      `${named}: redirect_uris must be a non-empty array of absolute http(s) URLs without a fragment (compared exactly).`,
    );
  const method = metadata.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!AUTH_METHODS.includes(method as (typeof AUTH_METHODS)[number]))
    throw new ClientsFileError(
      `${named}: token_endpoint_auth_method must be "none" (a public client) or "client_secret_basic".`,
    );
  const secret = metadata.client_secret;
  if (method === 'none' && secret !== undefined)
    throw new ClientsFileError(`${named}: a public client (token_endpoint_auth_method "none") has no client_secret.`);
  if (method === 'client_secret_basic' && (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH))
    throw new ClientsFileError(
      `${named}: client_secret_basic needs a client_secret of at least ${MIN_SECRET_LENGTH} characters.`,
    );
  const scope = metadata.scope;
  if (scope !== undefined) {
    const unknown =
      typeof scope === 'string'
        ? scopeList(scope).filter((found) => !CONTEXT_SCOPES.includes(found) && !parseResourceScope(found))
        : [];
    if (typeof scope !== 'string' || scopeList(scope).length === 0 || unknown.length > 0)
      throw new ClientsFileError(
        `${named}: scope must be a space-separated list of SMART scopes${unknown.length ? `; not understood: ${unknown.join(' ')}` : ''}.`,
      );
  }
  const name = metadata.client_name ?? id;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100)
    throw new ClientsFileError(`${named}: client_name must be text of at most 100 characters.`);
  return {
    id,
    name: name.trim(),
    secret: method === 'none' ? null : (secret as string),
    redirectUris: redirects,
    ...(scope !== undefined ? { scope: scope as string } : {}),
  };
}

/** The clients a file's text registers; `reserved` are ids already taken (the machine client's). */
export function parseSmartClients(text: string, reserved: string[] = []): SmartClient[] {
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (error) {
    throw new ClientsFileError(`SMART_CLIENTS_FILE is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) throw new ClientsFileError('SMART_CLIENTS_FILE must hold a JSON array of clients.');
  const clients = entries.map(client);
  const taken = new Set([APP_CLIENT_ID, ...reserved]);
  for (const found of clients) {
    if (taken.has(found.id))
      throw new ClientsFileError(`SMART_CLIENTS_FILE client "${found.id}": that client_id is already in use.`);
    taken.add(found.id);
  }
  return clients;
}

export function readSmartClientsFile(path: string, reserved: string[] = []): SmartClient[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ClientsFileError(`SMART_CLIENTS_FILE cannot be read (${path}): ${(error as Error).message}`);
  }
  return parseSmartClients(text, reserved);
}
