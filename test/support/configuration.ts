import type { TenantSource } from '../../local/graph-simulator';

/** A configuration the demo tenant and its demo dataset accept. */
export function validEnrichment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Sales engagement',
    tracked: ['ana@fabrikam.com', 'ussales@fabrikam.com'],
    consentStatement: { accepted: true },
    datasetId: 'demo',
    mapping: { emailField: 'Email', domainField: 'Domain', ownerField: 'OwnerEmail' },
    region: 'europe',
    ...overrides,
  };
}

/**
 * The distinct users that tracked entries (user or group addresses) name, groups expanded
 * transitively: worked out from the tenant itself, independently of the product's resolution.
 */
export function expectedTrackedUsers(tenant: TenantSource, entries: readonly string[]): Set<string> {
  const wanted = new Set(entries.map((e) => e.toLowerCase()));
  const users = new Set<string>();
  const userIds = new Set(tenant.users.map((u) => u.id));
  const groupsById = new Map(tenant.groups.map((g) => [g.id, g]));
  const expand = (groupId: string, seen: Set<string>) => {
    if (seen.has(groupId)) return;
    seen.add(groupId);
    for (const member of groupsById.get(groupId)?.members ?? []) {
      if (userIds.has(member)) users.add(member);
      else expand(member, seen);
    }
  };
  for (const user of tenant.users) {
    if (wanted.has((user.mail ?? '').toLowerCase()) || wanted.has(user.userPrincipalName.toLowerCase())) {
      users.add(user.id);
    }
  }
  for (const group of tenant.groups) {
    if (wanted.has((group.mail ?? '').toLowerCase())) expand(group.id, new Set());
  }
  return users;
}
