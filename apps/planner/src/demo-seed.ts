import { generateSeed, type SeedData, type SquareCustomer } from "@groupsync/square-emulator";

/** Group IDs of the demo account (stable, so that the transcript is too). */
const SUMMER = "GSUMMERCONF22DEMO00000001";
const VIP = "GVIPDEMO00000000000000002";
const WHOLESALE = "GWHOLESALEDEMO0000000003";

/**
 * The demo account: a few dozen generated profiles (no groups), plus the people the root
 * groups.yaml names, arranged so that its plan shows every kind of change:
 * - "Summer Conf 22" exists: renamed to "Summer Conference 2022" (`previously`);
 * - Ada and one phone number are already in it; Alan, Grace (stored in another case), two
 *   phones and the @example.org team are added; Katherine has no profile (a warning);
 *   Mallory is in it but in no rule: removed;
 * - VIP: Margaret is added, two profiles share +1 415-555-0110 (`match: all`, a warning),
 *   Eve is removed;
 * - Newsletter does not exist: created; Barbara and +1 415-555-0120 get new profiles
 *   (`missing: create`); it is additive, so its other members stay;
 * - "Wholesale" is not in the file: left alone.
 */
export function demoSeed(): SeedData {
  const generated = generateSeed({ customers: 30, groups: 0, seed: 2022 });
  const at = (day: number) => new Date(Date.UTC(2022, 5, day, 9, 0, 0)).toISOString();
  const person = (
    id: string,
    day: number,
    fields: Partial<SquareCustomer>,
    groups: string[] = [],
  ): SquareCustomer => ({
    id,
    created_at: at(day),
    updated_at: at(day),
    version: 0,
    ...fields,
    ...(groups.length === 0 ? {} : { group_ids: groups }),
  });
  const people: SquareCustomer[] = [
    person(
      "CADALOVELACE0000000000001",
      1,
      { given_name: "Ada", family_name: "Lovelace", email_address: "ada.lovelace@example.com" },
      [SUMMER, VIP],
    ),
    person("CGRACEHOPPER0000000000002", 2, {
      given_name: "Grace",
      family_name: "Hopper",
      email_address: "grace.hopper@EXAMPLE.com",
    }),
    person("CALANTURING0000000000003", 3, {
      given_name: "Alan",
      family_name: "Turing",
      email_address: "alan.turing@example.com",
    }),
    person("CMARGARETHAMILTON0000004", 4, {
      given_name: "Margaret",
      family_name: "Hamilton",
      email_address: "margaret.hamilton@example.com",
    }),
    person("CEDSGERDIJKSTRA000000005", 5, {
      given_name: "Edsger",
      family_name: "Dijkstra",
      email_address: "edsger.dijkstra@example.com",
    }),
    person("CPHONE0101000000000000006", 6, { given_name: "Linus", phone_number: "(415) 555-0101" }),
    person("CPHONE0102000000000000007", 7, { given_name: "Radia", phone_number: "+14155550102" }, [SUMMER]),
    person("CPHONE0103000000000000008", 8, { given_name: "Hedy", phone_number: "415.555.0103" }),
    person("CSPONSORA000000000000009", 9, { given_name: "Shafi", email_address: "shafi@example.org" }),
    person("CSPONSORB000000000000010", 10, { given_name: "Frances", email_address: "frances@Example.org" }),
    person("CVIPPHONEA00000000000011", 11, { given_name: "Ken", phone_number: "+1 415 555 0110" }),
    person("CVIPPHONEB00000000000012", 12, { given_name: "Dennis", phone_number: "4155550110" }),
    person("CMALLORY0000000000000013", 13, { given_name: "Mallory", email_address: "mallory@example.net" }, [
      SUMMER,
      WHOLESALE,
    ]),
    person("CEVE000000000000000000014", 14, { given_name: "Eve", email_address: "eve@example.net" }, [VIP]),
  ];
  const groupAt = at(0);
  return {
    groups: [
      { id: SUMMER, name: "Summer Conf 22", created_at: groupAt, updated_at: groupAt },
      { id: VIP, name: "VIP", created_at: groupAt, updated_at: groupAt },
      { id: WHOLESALE, name: "Wholesale", created_at: groupAt, updated_at: groupAt },
    ],
    // Generated profiles are in no group; those at @example.org are left out so that the
    // sponsor's team stays two people and the plan fits on a screen.
    customers: [
      ...generated.customers.filter((c) => !(c.email_address ?? "").toLowerCase().endsWith("@example.org")),
      ...people,
    ],
  };
}
