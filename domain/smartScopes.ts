/**
 * SMART App Launch v2 scopes (`patient/Appointment.cruds`, `user/*.rs`, `system/*.cruds`), parsed,
 * intersected and matched once, for the server that grants and enforces them and the app that asks.
 * Version 1 forms (`.read`, `.write`, `.*`) are read as their v2 equivalents; scopes are always
 * written back in v2 form.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';
export type Interaction = 'read' | 'vread' | 'search' | 'create' | 'update' | 'delete';

/** The permission letters in the order SMART v2 requires them. */
const CRUDS: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

export const PERMISSION_FOR: Record<Interaction, Permission> = {
  read: 'r',
  vread: 'r',
  search: 's',
  create: 'c',
  update: 'u',
  delete: 'd',
};

export interface ResourceScope {
  context: ScopeContext;
  /** A FHIR resource type, or `*` for all. */
  resourceType: string;
  /** Non-empty, in cruds order. */
  permissions: Permission[];
}

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.([a-z*]+)$/;
const V1_PERMISSIONS: Record<string, Permission[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': [...CRUDS] };

function v2Permissions(letters: string): Permission[] | undefined {
  let position = 0;
  const found: Permission[] = [];
  for (const letter of letters) {
    const index = CRUDS.indexOf(letter as Permission, position);
    if (index < 0) return undefined;
    found.push(CRUDS[index]);
    position = index + 1;
  }
  return found.length > 0 ? found : undefined;
}

/**
 * One resource scope, or undefined for anything else (launch, openid, ...) and for scopes this
 * server cannot honour exactly, such as v2 scopes narrowed by a query (`?category=`): granting them
 * without the narrowing would give more than was asked.
 */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match) return undefined;
  const [, context, resourceType, letters] = match;
  const permissions = V1_PERMISSIONS[letters] ?? v2Permissions(letters);
  return permissions ? { context: context as ScopeContext, resourceType, permissions: [...permissions] } : undefined;
}

export function formatResourceScope(scope: ResourceScope): string {
  return `${scope.context}/${scope.resourceType}.${scope.permissions.join('')}`;
}

/** A scope string split on whitespace, without repeats. */
export function scopeList(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))];
}

export function resourceScopes(scope: string | undefined): ResourceScope[] {
  return scopeList(scope).flatMap((found) => parseResourceScope(found) ?? []);
}

function intersectOne(requested: ResourceScope, allowed: ResourceScope): ResourceScope | undefined {
  if (requested.context !== allowed.context) return undefined;
  const resourceType =
    requested.resourceType === '*'
      ? allowed.resourceType
      : allowed.resourceType === '*' || allowed.resourceType === requested.resourceType
        ? requested.resourceType
        : undefined;
  if (resourceType === undefined) return undefined;
  const permissions = CRUDS.filter(
    (letter) => requested.permissions.includes(letter) && allowed.permissions.includes(letter),
  );
  return permissions.length > 0 ? { context: requested.context, resourceType, permissions } : undefined;
}

/** Merges scopes for the same context and type, so each appears once with all its letters. */
function merged(scopes: ResourceScope[]): ResourceScope[] {
  const byKey = new Map<string, ResourceScope>();
  for (const scope of scopes) {
    const key = `${scope.context}/${scope.resourceType}`;
    const before = byKey.get(key);
    byKey.set(key, {
      ...scope,
      permissions: CRUDS.filter(
        (letter) => scope.permissions.includes(letter) || (before?.permissions.includes(letter) ?? false),
      ),
    });
  }
  return [...byKey.values()];
}

/** What may be granted: every requested scope cut down to what the allowed scopes cover. */
export function intersectScopes(requested: ResourceScope[], allowed: ResourceScope[]): ResourceScope[] {
  return merged(requested.flatMap((want) => allowed.flatMap((may) => intersectOne(want, may) ?? [])));
}

/** Whether a scope of the given context lets its holder do the interaction on the resource type. */
export function permits(
  scopes: ResourceScope[],
  context: ScopeContext,
  resourceType: string,
  interaction: Interaction,
): boolean {
  const permission = PERMISSION_FOR[interaction];
  return scopes.some(
    (scope) =>
      scope.context === context &&
      (scope.resourceType === '*' || scope.resourceType === resourceType) &&
      scope.permissions.includes(permission),
  );
}
