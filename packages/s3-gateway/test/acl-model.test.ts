/**
 * The ACL model without a server: canned ACLs, grant headers, policy documents, who is allowed
 * what, the object ACL metadata entry, and the users the keys act as.
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_USERS,
  AUTHENTICATED_USERS,
  aclXml,
  allows,
  cannedGrants,
  grantsFromHeaders,
  grantsFromPolicy,
  isOwnerOnly,
} from '../src/acl-model.js';
import { GatewayUsers } from '../src/gateway-users.js';
import {
  aclFromMetadata,
  aclMetadata,
  OBJECT_ACL_METADATA,
  withoutAclMetadata,
} from '../src/object-acl-metadata.js';

const users = new GatewayUsers([
  { accessKeyId: 'MAIN', secretAccessKey: 's1' },
  {
    accessKeyId: 'ALT',
    secretAccessKey: 's2',
    userId: 'alt-id',
    displayName: 'Alt',
    email: 'alt@example.com',
  },
  { accessKeyId: 'OTHER', secretAccessKey: 's3' },
]);
const main = { id: 'partcopy', displayName: 'partcopy' };
const alt = { id: 'alt-id', displayName: 'Alt' };
const asUser = (user: { id: string; displayName: string }) => ({ kind: 'user' as const, user });
const anonymous = { kind: 'anonymous' as const };

describe('gateway users', () => {
  it('keeps partcopy as the first key by default and derives stable ids for the others', () => {
    expect(users.primary).toEqual(main);
    expect(users.ofKey('ALT')).toEqual({ ...alt, email: 'alt@example.com' });
    const other = users.ofKey('OTHER');
    expect(other.id).toMatch(/^[0-9a-f]{64}$/);
    expect(other.displayName).not.toContain('OTHER');
    expect(
      new GatewayUsers([
        { accessKeyId: 'X', secretAccessKey: 'y' },
        { accessKeyId: 'OTHER', secretAccessKey: 'z' },
      ]).ofKey('OTHER').id,
    ).toBe(other.id);
    expect(users.byEmail('ALT@example.com')?.id).toBe('alt-id');
    expect(users.count).toBe(3);
  });
});

describe('canned ACLs', () => {
  it('expand as S3 lists them, groups first', () => {
    expect(cannedGrants('private', main, main)).toEqual([{ id: 'partcopy', permission: 'FULL_CONTROL' }]);
    expect(cannedGrants('public-read-write', main, main).map((g) => [g.uri ?? g.id, g.permission])).toEqual([
      [ALL_USERS, 'READ'],
      [ALL_USERS, 'WRITE'],
      ['partcopy', 'FULL_CONTROL'],
    ]);
    expect(cannedGrants('authenticated-read', main, main)[0]).toEqual({
      uri: AUTHENTICATED_USERS,
      permission: 'READ',
    });
    expect(cannedGrants('bucket-owner-read', alt, main)).toEqual([
      { id: 'alt-id', permission: 'FULL_CONTROL' },
      { id: 'partcopy', permission: 'READ' },
    ]);
    expect(cannedGrants('bucket-owner-full-control', main, main)).toEqual([
      { id: 'partcopy', permission: 'FULL_CONTROL' },
    ]);
    expect(() => cannedGrants('everyone', main, main)).toThrow(/not valid/);
  });
});

describe('grant headers', () => {
  it('read ids, group URIs and e-mail addresses in S3 order', () => {
    const grants = grantsFromHeaders(
      {
        'x-amz-grant-full-control': 'id="alt-id"',
        'x-amz-grant-read': `uri="${ALL_USERS}", emailAddress="alt@example.com"`,
      },
      main,
      main,
      users,
    );
    expect(grants).toEqual([
      { uri: ALL_USERS, permission: 'READ' },
      { id: 'alt-id', permission: 'READ' },
      { id: 'alt-id', permission: 'FULL_CONTROL' },
    ]);
  });

  it('refuse unknown grantees and canned plus grants together', () => {
    expect(() => grantsFromHeaders({ 'x-amz-grant-read': 'id=nobody' }, main, main, users)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
    expect(() =>
      grantsFromHeaders({ 'x-amz-grant-read': 'emailAddress="no@example.com"' }, main, main, users),
    ).toThrow(expect.objectContaining({ code: 'UnresolvableGrantByEmailAddress' }));
    expect(() =>
      grantsFromHeaders({ 'x-amz-acl': 'private', 'x-amz-grant-read': 'id=alt-id' }, main, main, users),
    ).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
    expect(grantsFromHeaders({}, main, main, users)).toBeUndefined();
  });
});

describe('AccessControlPolicy documents', () => {
  it('read grants by ID, URI and EmailAddress; an empty list is no grants', () => {
    const xml = `<AccessControlPolicy><Owner><ID>partcopy</ID></Owner><AccessControlList>
      <Grant><Grantee><ID>alt-id</ID></Grantee><Permission>WRITE</Permission></Grant>
      <Grant><Grantee><URI>${ALL_USERS}</URI></Grantee><Permission>READ</Permission></Grant>
      <Grant><Grantee><EmailAddress>alt@example.com</EmailAddress></Grantee><Permission>READ_ACP</Permission></Grant>
    </AccessControlList></AccessControlPolicy>`;
    expect(grantsFromPolicy(xml, users)).toEqual([
      { id: 'alt-id', permission: 'WRITE' },
      { uri: ALL_USERS, permission: 'READ' },
      { id: 'alt-id', permission: 'READ_ACP' },
    ]);
    expect(
      grantsFromPolicy('<AccessControlPolicy><AccessControlList/></AccessControlPolicy>', users),
    ).toEqual([]);
  });

  it('refuse a bad permission', () => {
    const xml = `<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>alt-id</ID></Grantee><Permission>ALL</Permission></Grant></AccessControlList></AccessControlPolicy>`;
    expect(() => grantsFromPolicy(xml, users)).toThrow(
      expect.objectContaining({ code: 'MalformedACLError' }),
    );
  });

  it('are answered with display names of known users, group grants first', () => {
    const xml = aclXml(
      {
        owner: main,
        grants: [
          { id: 'alt-id', permission: 'READ' },
          { uri: ALL_USERS, permission: 'READ' },
        ],
      },
      users,
    );
    expect(xml.Owner).toEqual({ ID: 'partcopy', DisplayName: 'partcopy' });
    const grants = (xml.AccessControlList as { Grant: Array<{ Grantee: Record<string, string> }> }).Grant;
    expect(grants[0]?.Grantee).toMatchObject({ '@_xsi:type': 'Group', URI: ALL_USERS });
    expect(grants[1]?.Grantee).toMatchObject({
      '@_xsi:type': 'CanonicalUser',
      ID: 'alt-id',
      DisplayName: 'Alt',
    });
  });
});

describe('allows', () => {
  const acl = {
    owner: main,
    grants: [
      { id: 'alt-id', permission: 'READ' as const },
      { uri: AUTHENTICATED_USERS, permission: 'READ_ACP' as const },
    ],
  };
  it('gives the owner everything, others what is granted to them or their group', () => {
    expect(allows({ owner: main, grants: [] }, asUser(main), 'WRITE_ACP')).toBe(true);
    expect(allows(acl, asUser(alt), 'READ')).toBe(true);
    expect(allows(acl, asUser(alt), 'WRITE')).toBe(false);
    expect(allows(acl, asUser(alt), 'READ_ACP')).toBe(true);
    expect(allows(acl, anonymous, 'READ_ACP')).toBe(false);
    expect(allows(acl, anonymous, 'READ')).toBe(false);
    const open = { owner: main, grants: [{ uri: ALL_USERS, permission: 'FULL_CONTROL' as const }] };
    expect(allows(open, anonymous, 'WRITE')).toBe(true);
  });

  it('knows an owner-only ACL', () => {
    expect(isOwnerOnly([{ id: 'partcopy', permission: 'FULL_CONTROL' }], 'partcopy')).toBe(true);
    expect(isOwnerOnly([], 'partcopy')).toBe(false);
    expect(isOwnerOnly(cannedGrants('public-read', main, main), 'partcopy')).toBe(false);
  });
});

describe('object ACL metadata', () => {
  it('round-trips through one ASCII entry and is removed from what clients see', () => {
    const acl = {
      owner: { id: 'alt-id', displayName: 'Ålt ünïcode' },
      grants: cannedGrants('public-read', alt, main),
    };
    const entry = aclMetadata(acl);
    expect(Object.keys(entry)).toEqual([OBJECT_ACL_METADATA]);
    expect(entry[OBJECT_ACL_METADATA]).toMatch(/^[A-Za-z0-9_-]+$/);
    const metadata = { color: 'blue', ...entry };
    expect(aclFromMetadata(metadata)).toEqual(acl);
    expect(withoutAclMetadata(metadata)).toEqual({ color: 'blue' });
    expect(aclFromMetadata({ [OBJECT_ACL_METADATA]: 'not json' })).toBeUndefined();
    expect(aclFromMetadata(undefined)).toBeUndefined();
  });
});
