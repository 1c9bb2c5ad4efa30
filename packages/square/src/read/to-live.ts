import type { LiveGroup, LiveProfile } from "@groupsync/core";
import type { SquareCustomer, SquareCustomerGroup } from "../square-types.js";

/** Square's group as core's LiveGroup. */
export function toLiveGroup(group: SquareCustomerGroup): LiveGroup {
  return {
    id: group.id,
    name: group.name,
    ...(group.created_at === undefined ? {} : { createdAt: group.created_at }),
    ...(group.updated_at === undefined ? {} : { updatedAt: group.updated_at }),
  };
}

/** Square's profile as core's LiveProfile (fields it does not use are dropped). */
export function toLiveProfile(customer: SquareCustomer): LiveProfile {
  // Assigned one by one rather than spread: this runs once per profile read.
  const profile: { -readonly [K in keyof LiveProfile]: LiveProfile[K] } = {
    id: customer.id,
    createdAt: customer.created_at ?? "",
    groupIds: customer.group_ids === undefined ? [] : customer.group_ids.slice(),
  };
  if (typeof customer.email_address === "string") profile.emailAddress = customer.email_address;
  if (typeof customer.phone_number === "string") profile.phoneNumber = customer.phone_number;
  if (typeof customer.given_name === "string") profile.givenName = customer.given_name;
  if (typeof customer.family_name === "string") profile.familyName = customer.family_name;
  if (typeof customer.version === "number") profile.version = customer.version;
  return profile;
}

/** Whether two reads of a profile say the same (then a diff of either state is the same). */
export function sameProfile(a: LiveProfile, b: LiveProfile): boolean {
  return (
    a.createdAt === b.createdAt &&
    a.emailAddress === b.emailAddress &&
    a.phoneNumber === b.phoneNumber &&
    a.givenName === b.givenName &&
    a.familyName === b.familyName &&
    a.version === b.version &&
    a.groupIds.length === b.groupIds.length &&
    a.groupIds.every((id, i) => b.groupIds[i] === id)
  );
}
