/**
 * S3 access control lists, as S3 defines them with ACLs enabled: an owner and a list of grants of
 * READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL to a canonical user or a group (AllUsers,
 * AuthenticatedUsers, LogDelivery). What a request asks for comes in as a canned ACL
 * (`x-amz-acl`), grant headers (`x-amz-grant-*`) or an AccessControlPolicy document; what is
 * stored is grants by id or group URI (an e-mail grant is resolved to its user's id, as S3
 * does). Whether a principal may do something is {@link allows}.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CanonicalUser, StoredGrant } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import type { GatewayUser, GatewayUsers, Principal } from './gateway-users.js';
import { headerValue } from './sigv4-verifier.js';
import { parseXmlBody } from './xml-codec.js';

export type Permission = StoredGrant['permission'];

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const GROUPS = new Set([ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]);

const PERMISSIONS: readonly Permission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

/** Grant headers in the order S3 lists their grants. */
const GRANT_HEADERS: ReadonlyArray<[string, Permission]> = [
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

/** An owner and its grants: a bucket's or an object's ACL. */
export interface Acl {
  owner: CanonicalUser;
  grants: StoredGrant[];
}

/** Whether a request carries ACL headers at all. */
export function hasAclHeaders(headers: IncomingHttpHeaders): boolean {
  return headers['x-amz-acl'] !== undefined || GRANT_HEADERS.some(([name]) => headers[name] !== undefined);
}

/** Only the owner's FULL_CONTROL: what S3 accepts with ACLs disabled. */
export function isOwnerOnly(grants: readonly StoredGrant[], ownerId: string): boolean {
  return grants.length > 0 && grants.every((g) => g.id === ownerId && g.permission === 'FULL_CONTROL');
}

/** The owner alone with FULL_CONTROL: the `private` ACL, every resource's default. */
export function privateGrants(owner: CanonicalUser): StoredGrant[] {
  return [{ id: owner.id, permission: 'FULL_CONTROL' }];
}

/**
 * The grants a canned ACL stands for. `bucketOwner` is the bucket's owner, for the object ACLs
 * that name it (`bucket-owner-read`, `bucket-owner-full-control`). Group grants come first, as
 * S3 (and ceph/s3-tests) list them.
 */
export function cannedGrants(name: string, owner: CanonicalUser, bucketOwner: CanonicalUser): StoredGrant[] {
  const own = privateGrants(owner);
  const toBucketOwner = (permission: Permission): StoredGrant[] =>
    bucketOwner.id === owner.id ? [] : [{ id: bucketOwner.id, permission }];
  switch (name) {
    case 'private':
      return own;
    case 'public-read':
      return [{ uri: ALL_USERS, permission: 'READ' }, ...own];
    case 'public-read-write':
      return [{ uri: ALL_USERS, permission: 'READ' }, { uri: ALL_USERS, permission: 'WRITE' }, ...own];
    case 'authenticated-read':
      return [{ uri: AUTHENTICATED_USERS, permission: 'READ' }, ...own];
    case 'bucket-owner-read':
      return [...own, ...toBucketOwner('READ')];
    case 'bucket-owner-full-control':
      return [...own, ...toBucketOwner('FULL_CONTROL')];
    case 'log-delivery-write':
      return [
        { uri: LOG_DELIVERY, permission: 'WRITE' },
        { uri: LOG_DELIVERY, permission: 'READ_ACP' },
        ...own,
      ];
    default:
      throw new GatewayError('InvalidArgument', `The canned ACL "${name}" is not valid.`, {
        ArgumentName: 'x-amz-acl',
        ArgumentValue: name,
      });
  }
}

/**
 * The grants a request's ACL headers ask for, or undefined when it has none. A canned ACL and
 * grant headers together are refused, as S3 refuses them.
 */
export function grantsFromHeaders(
  headers: IncomingHttpHeaders,
  owner: CanonicalUser,
  bucketOwner: CanonicalUser,
  users: GatewayUsers,
): StoredGrant[] | undefined {
  const canned = headerValue(headers, 'x-amz-acl');
  const granted = GRANT_HEADERS.filter(([name]) => headers[name] !== undefined);
  if (canned !== undefined && granted.length > 0) {
    throw new GatewayError('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if (canned !== undefined) return cannedGrants(canned.trim().toLowerCase(), owner, bucketOwner);
  if (granted.length === 0) return undefined;
  return granted.flatMap(([name, permission]) =>
    parseGranteeList(headerValue(headers, name) ?? '').map((grantee) => ({
      ...resolveGrantee(grantee, users),
      permission,
    })),
  );
}

type Grantee = { type: 'id' | 'uri' | 'emailAddress'; value: string };

// `id="...", uri="...", emailAddress="..."`: comma-separated, values optionally quoted.
function parseGranteeList(text: string): Grantee[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      const type = part.slice(0, equals).trim();
      const value = part
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (equals === -1 || (type !== 'id' && type !== 'uri' && type !== 'emailAddress')) {
        throw new GatewayError('InvalidArgument', `The grantee "${part}" is not valid.`);
      }
      return { type, value };
    });
}

// Stored grants name users by id and groups by URI; ids must be users this gateway knows.
function resolveGrantee(grantee: Grantee, users: GatewayUsers): { id: string } | { uri: string } {
  switch (grantee.type) {
    case 'uri':
      if (!GROUPS.has(grantee.value)) throw new GatewayError('InvalidArgument', 'Invalid group uri');
      return { uri: grantee.value };
    case 'emailAddress': {
      const user = users.byEmail(grantee.value);
      if (user === undefined) {
        throw new GatewayError(
          'UnresolvableGrantByEmailAddress',
          'The e-mail address you provided does not match any account on record.',
        );
      }
      return { id: user.id };
    }
    case 'id':
      if (users.byId(grantee.value) === undefined) throw new GatewayError('InvalidArgument', 'Invalid id');
      return { id: grantee.value };
  }
}

/** Reads an AccessControlPolicy document (PutBucketAcl / PutObjectAcl body). */
export function grantsFromPolicy(text: string, users: GatewayUsers): StoredGrant[] {
  const policy = parseXmlBody(text, 'AccessControlPolicy');
  const list = policy.AccessControlList;
  if (list !== undefined && (typeof list !== 'object' || list === null)) {
    if (String(list).trim() === '') return [];
    throw malformedAcl();
  }
  const grants = (list as { Grant?: unknown } | undefined)?.Grant;
  return (grants === undefined ? [] : [grants].flat()).map((entry) => {
    const grant = entry as { Grantee?: Record<string, unknown>; Permission?: unknown };
    const permission = grant.Permission as Permission;
    if (!PERMISSIONS.includes(permission) || typeof grant.Grantee !== 'object' || grant.Grantee === null) {
      throw malformedAcl();
    }
    const g = grant.Grantee;
    const grantee: Grantee | undefined =
      typeof g.ID === 'string'
        ? { type: 'id', value: g.ID }
        : typeof g.URI === 'string'
          ? { type: 'uri', value: g.URI }
          : typeof g.EmailAddress === 'string'
            ? { type: 'emailAddress', value: g.EmailAddress }
            : undefined;
    if (grantee === undefined) throw malformedAcl();
    return { ...resolveGrantee(grantee, users), permission };
  });
}

function malformedAcl(): GatewayError {
  return new GatewayError(
    'MalformedACLError',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
}

/** The AccessControlPolicy answer of GetBucketAcl / GetObjectAcl. */
export function aclXml(acl: Acl, users: GatewayUsers): Record<string, unknown> {
  const xsi = { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' };
  const grant = (g: StoredGrant) => {
    if (g.uri !== undefined) {
      return { Grantee: { ...xsi, '@_xsi:type': 'Group', URI: g.uri }, Permission: g.permission };
    }
    const id = g.id as string;
    const displayName = id === acl.owner.id ? acl.owner.displayName : users.byId(id)?.displayName;
    return {
      Grantee: {
        ...xsi,
        '@_xsi:type': 'CanonicalUser',
        ID: id,
        ...(displayName === undefined ? {} : { DisplayName: displayName }),
      },
      Permission: g.permission,
    };
  };
  return {
    Owner: { ID: acl.owner.id, DisplayName: acl.owner.displayName },
    AccessControlList: acl.grants.length === 0 ? '' : { Grant: groupsFirst(acl.grants).map(grant) },
  };
}

// Group grants are listed before user grants, as S3 (and ceph/s3-tests) list them.
function groupsFirst(grants: readonly StoredGrant[]): StoredGrant[] {
  return [...grants.filter((g) => g.uri !== undefined), ...grants.filter((g) => g.uri === undefined)];
}

/** Whether an ACL grants anything to everyone or to every signed request (S3's "public"). */
export function isPublic(grants: readonly StoredGrant[]): boolean {
  return grants.some((g) => g.uri === ALL_USERS || g.uri === AUTHENTICATED_USERS);
}

/**
 * Whether the principal holds `permission` on a resource with this ACL: its owner always does;
 * anyone else through a grant of that permission (or FULL_CONTROL) to them, to AllUsers, or to
 * AuthenticatedUsers when the request is signed.
 */
export function allows(acl: Acl, principal: Principal, permission: Permission): boolean {
  const user: GatewayUser | undefined = principal.kind === 'user' ? principal.user : undefined;
  if (user !== undefined && user.id === acl.owner.id) return true;
  return acl.grants.some(
    (g) =>
      (g.permission === permission || g.permission === 'FULL_CONTROL') &&
      (g.uri === ALL_USERS ||
        (g.uri === AUTHENTICATED_USERS && user !== undefined) ||
        (g.id !== undefined && g.id === user?.id)),
  );
}
