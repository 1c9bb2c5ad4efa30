/** Terraform-like addresses (DESIGN.md §4). Keys are quoted as JSON strings so any value is unambiguous. */

export function groupAddress(key: string): string {
  return `group.${key}`;
}

/** An unmanaged live group, which has no key: `group["<group ID>"]`. */
export function unmanagedGroupAddress(groupId: string): string {
  return `group[${JSON.stringify(groupId)}]`;
}

/** `member.vip["ada@example.com"]` (a rule's label) or `member.vip["<customer ID>"]`. */
export function memberAddress(key: string, handle: string): string {
  return `member.${key}[${JSON.stringify(handle)}]`;
}

/** `customer.vip["ada@example.com"]`: the profile a `missing: create` rule makes. */
export function customerAddress(key: string, label: string): string {
  return `customer.${key}[${JSON.stringify(label)}]`;
}
