import { FILE_OPTION, type Command } from "../command.js";
import { TIMEOUT_OPTION } from "../options.js";

export const membersCommand: Command = {
  name: "members",
  summary: "List or export the profiles in groups (table, CSV, JSON, NDJSON).",
  usage:
    "groupsync members GROUP... [--all | --any] [--not GROUP]... [--format table|csv|json|ndjson]\n" +
    "       [--fields id,given_name,...] [--out FILE] [--redact] [--csv-raw] [--consistent]",
  description:
    "Lists the customer profiles in the named groups, streamed page by page (any size, in\n" +
    "constant memory). GROUP is a key of groups.yaml, the name of a group in Square (case and\n" +
    "spacing ignored) or a group ID. --all (the default) lists profiles in every GROUP, --any\n" +
    "those in at least one; --not GROUP leaves out the profiles in it (repeat --not, or write a,b).\n" +
    "\n" +
    "Search lags: Square's SearchCustomers sees a profile added to or removed from a group\n" +
    "seconds to a minute late (sometimes longer). Right after an apply, the list may still show\n" +
    "who just left and miss who just joined. --consistent confirms every listed profile with\n" +
    "BulkRetrieveCustomers (one more call per 100 profiles), drops those no longer matching and\n" +
    "says how many; it cannot find profiles search does not list yet.",
  options: {
    all: { type: "boolean", description: "Profiles in every GROUP (the default)." },
    any: { type: "boolean", description: "Profiles in at least one GROUP." },
    not: {
      type: "string",
      valueName: "GROUP",
      multiple: true,
      description: "Leave out profiles in this group (repeat it, or separate groups with commas).",
    },
    format: {
      type: "string",
      valueName: "FORMAT",
      description:
        "table, csv (RFC 4180), json (an array) or ndjson (an object a line); default: by --out's extension, else table on a terminal, csv otherwise.",
    },
    fields: {
      type: "string",
      valueName: "LIST",
      description:
        "Columns, comma-separated (default id,given_name,family_name,email_address,phone_number,created_at,group_ids; also company_name, nickname, reference_id, updated_at, creation_source, version).",
    },
    out: {
      type: "string",
      valueName: "FILE",
      description: "Write to FILE (atomically: complete or not at all) instead of stdout.",
    },
    redact: {
      type: "boolean",
      description: "Mask emails, phones and names (a***@e***.com, +1******0100, A***).",
    },
    "csv-raw": {
      type: "boolean",
      description:
        "CSV cells exactly as Square holds them. Default: controls escaped (\\n, \\u001b) and cells a spreadsheet would run as a formula (=, +, -, @) prefixed with '.",
    },
    consistent: {
      type: "boolean",
      description: "Confirm membership with BulkRetrieveCustomers; drop and count the differences.",
    },
    file: FILE_OPTION,
    concurrency: {
      type: "string",
      valueName: "N",
      description: "Most requests to Square in flight at once (default 32; adapts down on 429).",
    },
    timeout: TIMEOUT_OPTION,
  },
  maxPositionals: 100,
  epilog:
    "Examples:\n" +
    "  groupsync members summer-conf-2022 --format csv --out attendees.csv\n" +
    '  groupsync members "Summer Conference 2022" VIP --any --not Staff --format ndjson | jq .email_address\n' +
    "\n" +
    "Progress (pages, profiles) shows on stderr on a terminal; the calls made are reported at\n" +
    "the end. Exit codes: 0 listed, 1 an error (an unknown group lists the groups it knows).",
  run: async (context) => (await import("../members/run-members.js")).runMembers(context),
};
