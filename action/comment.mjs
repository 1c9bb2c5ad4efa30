#!/usr/bin/env node
// The GitHub side of groupsync's Action (../action.yml): the plan as sticky pull-request comments,
// the drift issue, the reviewed plan of a merged pull request, and the check of the action's
// inputs. No dependencies: Node's fetch against GITHUB_API_URL, so it runs on the runner's Node
// before anything is installed, and on GitHub Enterprise Server too.
//
//   node comment.mjs check-inputs      INPUTS_JSON='${{ toJSON(inputs) }}' (writes id to GITHUB_OUTPUT)
//   node comment.mjs plan --id ID --issue N --dir DIR --exitcode C --sha SHA --run RUN [--log FILE]
//   node comment.mjs drift --id ID --title T --dir DIR --exitcode C [--run-url URL] [--log FILE]
//   node comment.mjs find-plan --id ID --sha MERGED_SHA       (writes pr, run, sha to GITHUB_OUTPUT)
//
// GITHUB_TOKEN (or GH_TOKEN) authenticates; it is sent only to GITHUB_API_URL's origin and never printed.
import { appendFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { realpathSync } from "node:fs";

/** GitHub refuses comment and issue bodies longer than this. */
export const MAX_BODY = 65_535;

/** The inputs action.yml declares; anything else given under `with:` fails the step. */
export const KNOWN_INPUTS = [
  "command",
  "version",
  "working-directory",
  "file",
  "github-token",
  "args",
  "artifact-name",
  "comment",
  "node-version",
];

export const COMMANDS = ["plan", "apply", "drift"];

/** The drift issue's title (DESIGN.md §9) when the file is the default groups.yaml. */
export const DRIFT_TITLE = "groupsync: the account drifted from groups.yaml";

/** A failure this script explains: printed as one `::error::` line, exit 1. */
export class ActionError extends Error {
  name = "ActionError";
}

/** A GitHub API call that failed: the method, path, status and GitHub's message, never the token. */
export class GitHubError extends ActionError {
  name = "GitHubError";
  constructor(method, path, status, message) {
    super(`GitHub API ${method} ${path} answered ${status}${message ? `: ${message}` : ""}`);
    this.status = status;
  }
}

const PART_MARKER = /^<!-- groupsync-plan:(\S+) part (\d+) -->/;
const RUN_MARKER = /^<!-- groupsync-run run=(\d+) sha=([0-9a-f]+) exitcode=(\d) -->$/m;

/**
 * A small GitHub REST client: `request` one call, `paginate` a list by its `Link: rel="next"`.
 * `fetch` is injectable; the token goes only to `apiUrl`'s origin (a `next` link elsewhere is refused).
 */
export function createGitHub({
  apiUrl = "https://api.github.com",
  token,
  repository,
  fetch = globalThis.fetch,
}) {
  if (!token) throw new ActionError("no GitHub token: set the github-token input (default: github.token)");
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository ?? "")) {
    throw new ActionError(`GITHUB_REPOSITORY must be OWNER/NAME, not "${repository ?? ""}"`);
  }
  const base = apiUrl.replace(/\/+$/, "");
  const origin = new URL(base).origin;

  async function request(method, path, body) {
    const url = path.startsWith("http") ? path : `${base}${path}`;
    if (new URL(url).origin !== origin)
      throw new ActionError(`refusing to send the token to ${new URL(url).origin}`);
    const response = await fetch(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "groupsync-action",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const shown = url.slice(base.length).replace(/\?.*$/, "") || url;
    if (!response.ok) {
      let message = "";
      try {
        message = String((await response.json()).message ?? "");
      } catch {
        // not JSON: the status says enough
      }
      throw new GitHubError(method, shown, response.status, message);
    }
    const text = await response.text();
    return { data: text === "" ? undefined : JSON.parse(text), next: nextLink(response.headers.get("link")) };
  }

  async function paginate(path) {
    const items = [];
    for (let next = path; next !== undefined;) {
      const page = await request("GET", next);
      if (!Array.isArray(page.data)) throw new ActionError(`GitHub API GET ${path} did not answer a list`);
      items.push(...page.data);
      next = page.next;
    }
    return items;
  }

  return { request, paginate, repo: `/repos/${repository}` };
}

function nextLink(header) {
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** The hidden first line of part `n` of the plan comments for config `id`. */
export function partMarker(id, n) {
  return `<!-- groupsync-plan:${id} part ${n} -->`;
}

/**
 * Makes the comments of `issue` hold exactly `parts`, each prefixed by its marker: part N updates
 * the comment that carries marker N (or is created), comments with a marker beyond the last part
 * (a plan that shrank) or a second copy of one are deleted. Other comments are left alone.
 * `first` numbers the first part (the drift issue keeps part 1 in its body). Returns the counts.
 */
export async function syncComments(gh, { issue, id, parts, first = 1, runLine }) {
  const comments = await gh.paginate(`${gh.repo}/issues/${issue}/comments?per_page=100`);
  const ours = new Map();
  const extra = [];
  for (const comment of comments) {
    const m = PART_MARKER.exec(comment.body ?? "");
    if (m === null || m[1] !== id) continue;
    const n = Number(m[2]);
    if (ours.has(n) || n < first || n >= first + parts.length) extra.push(comment);
    else ours.set(n, comment);
  }
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const [i, part] of parts.entries()) {
    const n = first + i;
    const body = [partMarker(id, n), ...(n === 1 && runLine ? [runLine] : []), part].join("\n");
    if (body.length > MAX_BODY) {
      throw new ActionError(`part ${n} of the plan is ${body.length} characters, over GitHub's ${MAX_BODY}`);
    }
    const existing = ours.get(n);
    if (existing === undefined) {
      await gh.request("POST", `${gh.repo}/issues/${issue}/comments`, { body });
      counts.created += 1;
    } else if (existing.body !== body) {
      await gh.request("PATCH", `${gh.repo}/issues/comments/${existing.id}`, { body });
      counts.updated += 1;
    } else counts.unchanged += 1;
  }
  for (const comment of extra) {
    await gh.request("DELETE", `${gh.repo}/issues/comments/${comment.id}`);
    counts.deleted += 1;
  }
  return counts;
}

/** `plan-1.md`, `plan-2.md`, ... of `groupsync plan --out-dir DIR`, in order. */
export async function readParts(dir) {
  const names = (await readdir(dir)).filter((n) => /^plan-[1-9]\d*\.md$/.test(n));
  names.sort((a, b) => Number(a.slice(5, -3)) - Number(b.slice(5, -3)));
  names.forEach((name, i) => {
    if (name !== `plan-${i + 1}.md`) throw new ActionError(`${dir} holds ${name} but no plan-${i + 1}.md`);
  });
  return Promise.all(names.map((name) => readFile(join(dir, name), "utf8")));
}

/** A comment saying the plan failed, with the end of groupsync's log in a code block. */
export function failureComment(what, log) {
  const tail = log.length > 50_000 ? `...\n${log.slice(-50_000)}` : log;
  const fence = "`".repeat(Math.max(3, ...[...tail.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `**groupsync ${what} failed**: nothing can be applied.\n\n${fence}\n${tail.trimEnd()}\n${fence}\n`;
}

/**
 * The plan job's comments: the parts of a plan that ran (exit 0 or 2), or the failure (exit 1),
 * with a hidden line recording the run and commit, which `findReviewedPlan` reads at merge.
 */
export async function postPlan(gh, { issue, id, dir, exitcode, sha, run, log = "" }) {
  let parts = await readParts(dir).catch((error) => {
    if (exitcode === 1 && error?.code === "ENOENT") return [];
    throw error;
  });
  if (exitcode === 1) {
    // A plan refused by a safety guard (or with errors) was written: show it, and why it cannot apply.
    const reason = (log.match(/^Error: .*$/gm) ?? []).join("\n").slice(0, 500);
    parts =
      parts.length === 0
        ? [failureComment("plan", log)]
        : [`${failureComment("plan", reason)}\n${parts[0]}`, ...parts.slice(1)];
  }
  if (parts.length === 0) throw new ActionError(`groupsync wrote no plan-1.md to ${dir}`);
  const runLine = `<!-- groupsync-run run=${run} sha=${sha} exitcode=${exitcode} -->`;
  return syncComments(gh, { issue, id, parts, runLine });
}

/**
 * The scheduled drift check: exit 2 opens the one open issue marked for `id` or updates it (the
 * plan's first part in the body, the others as its comments); exit 0 closes it with a comment.
 * Returns what it did: `opened`, `updated`, `closed` or `clean`.
 */
export async function syncDriftIssue(gh, { id, title, exitcode, parts, runUrl }) {
  const marker = `<!-- groupsync-drift:${id} -->`;
  const issues = await gh.paginate(`${gh.repo}/issues?state=open&per_page=100`);
  const open = issues.filter((i) => i.pull_request === undefined && (i.body ?? "").startsWith(marker));
  const issue = open[0];
  const seen = runUrl ? ` ([run](${runUrl}))` : "";
  if (exitcode === 0) {
    if (issue === undefined) return { action: "clean" };
    await gh.request("POST", `${gh.repo}/issues/${issue.number}/comments`, {
      body: `The account matches the file again${seen}: closing.`,
    });
    await gh.request("PATCH", `${gh.repo}/issues/${issue.number}`, {
      state: "closed",
      state_reason: "completed",
    });
    return { action: "closed", number: issue.number };
  }
  if (exitcode !== 2) throw new ActionError(`drift needs the plan's exit code 0 or 2, not ${exitcode}`);
  if (parts.length === 0) throw new ActionError("no plan to put in the drift issue");
  const more = parts.length > 1 ? ` It continues in ${parts.length - 1} comments below.` : "";
  const body = [
    marker,
    `The scheduled \`groupsync plan\`${seen} found changes: the live account no longer matches the file.` +
      ` Apply the plan below, or change the file to match the account.${more}`,
    "",
    parts[0],
  ].join("\n");
  if (body.length > MAX_BODY)
    throw new ActionError(`the drift issue's body would be ${body.length} characters`);
  let number;
  let action;
  if (issue === undefined) {
    number = (await gh.request("POST", `${gh.repo}/issues`, { title, body })).data.number;
    action = "opened";
  } else {
    number = issue.number;
    if (issue.body !== body || issue.title !== title) {
      await gh.request("PATCH", `${gh.repo}/issues/${number}`, { title, body });
    }
    action = "updated";
  }
  await syncComments(gh, { issue: number, id, parts: parts.slice(1), first: 2 });
  return { action, number };
}

/**
 * The plan reviewed on the pull request that `sha` merged: its number, and the run that made the
 * plan of its final commit. Refused when there is no such pull request, no plan comment, a plan
 * of an earlier commit, or a plan that failed.
 */
export async function findReviewedPlan(gh, { id, sha }) {
  const pulls = (await gh.request("GET", `${gh.repo}/commits/${sha}/pulls`)).data ?? [];
  const pr = pulls.find((p) => p.merged_at) ?? pulls[0];
  if (pr === undefined) {
    throw new ActionError(
      `commit ${sha} was not merged from a pull request: there is no reviewed plan to apply`,
    );
  }
  const comments = await gh.paginate(`${gh.repo}/issues/${pr.number}/comments?per_page=100`);
  const first = comments.find((c) => {
    const m = PART_MARKER.exec(c.body ?? "");
    return m !== null && m[1] === id && m[2] === "1";
  });
  const run = first === undefined ? null : RUN_MARKER.exec(first.body);
  if (run === null) {
    throw new ActionError(
      `pull request #${pr.number} has no groupsync plan comment for ${id}: nothing was reviewed`,
    );
  }
  const [, runId, planSha, exitcode] = run;
  if (pr.head?.sha !== undefined && pr.head.sha !== planSha) {
    throw new ActionError(
      `the last plan on pull request #${pr.number} is of commit ${planSha}, not of its final commit ${pr.head.sha}: ` +
        "the merged change was not reviewed as a plan",
    );
  }
  if (exitcode === "1")
    throw new ActionError(`the last plan on pull request #${pr.number} failed: nothing to apply`);
  return { pr: pr.number, run: Number(runId), sha: planSha };
}

/** Fails on an input action.yml does not declare (composite actions only warn), or a bad command. */
export function checkInputs(inputs) {
  const unknown = Object.keys(inputs).filter((name) => !KNOWN_INPUTS.includes(name.toLowerCase()));
  if (unknown.length > 0) {
    throw new ActionError(
      `unknown input${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}; ` +
        `the inputs are: ${KNOWN_INPUTS.join(", ")}`,
    );
  }
  const command = inputs.command ?? "";
  if (!COMMANDS.includes(command)) {
    throw new ActionError(`input "command" must be ${COMMANDS.join(", ")}, not "${command}"`);
  }
}

/** A path-like name for the config, shared by its markers: `groups.yaml`, `infra/groups.yaml`. */
export function configId(workingDirectory, file) {
  const joined = `${workingDirectory ?? "."}/${file ?? "groups.yaml"}`
    .split("/")
    .filter((s) => s !== "" && s !== ".")
    .join("/");
  return joined.replace(/[^\w./-]/g, "_").slice(0, 200) || "groups.yaml";
}

async function main(argv, env) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: Object.fromEntries(
      ["id", "issue", "dir", "exitcode", "sha", "run", "log", "title", "run-url"].map((k) => [
        k,
        { type: "string" },
      ]),
    ),
  });
  if (command === "check-inputs") {
    const inputs = JSON.parse(env.INPUTS_JSON ?? "{}");
    checkInputs(inputs);
    // The config's name in markers and artifacts: one sticky comment per file.
    const id = configId(inputs["working-directory"], inputs.file);
    if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, `id=${id}\n`);
    return;
  }
  const gh = createGitHub({
    apiUrl: env.GITHUB_API_URL,
    token: env.GITHUB_TOKEN || env.GH_TOKEN,
    repository: env.GITHUB_REPOSITORY,
  });
  const id = values.id ?? "groups.yaml";
  const log = values.log === undefined ? "" : await readFile(values.log, "utf8").catch(() => "");
  const exitcode = Number(values.exitcode ?? "0");
  if (command === "plan") {
    const counts = await postPlan(gh, {
      issue: Number(values.issue),
      id,
      dir: values.dir,
      exitcode,
      sha: values.sha,
      run: values.run,
      log,
    });
    console.log(
      `groupsync plan comments on #${values.issue}: ${counts.created} created, ${counts.updated} updated, ` +
        `${counts.unchanged} unchanged, ${counts.deleted} deleted.`,
    );
  } else if (command === "drift") {
    if (exitcode === 1) throw new ActionError(`the drift check's plan failed:\n${log}`);
    const parts = exitcode === 2 ? await readParts(values.dir) : [];
    const title = values.title ?? DRIFT_TITLE;
    const result = await syncDriftIssue(gh, { id, title, exitcode, parts, runUrl: values["run-url"] });
    console.log(`groupsync drift issue: ${result.action}${result.number ? ` (#${result.number})` : ""}.`);
  } else if (command === "find-plan") {
    const found = await findReviewedPlan(gh, { id, sha: values.sha });
    console.log(`The reviewed plan: pull request #${found.pr}, run ${found.run}, commit ${found.sha}.`);
    if (env.GITHUB_OUTPUT) {
      await appendFile(env.GITHUB_OUTPUT, `pr=${found.pr}\nrun=${found.run}\nsha=${found.sha}\n`);
    }
  } else {
    throw new ActionError(`unknown command "${command ?? ""}": check-inputs, plan, drift or find-plan`);
  }
}

function isEntryPoint() {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  try {
    await main(process.argv.slice(2), process.env);
  } catch (error) {
    const message =
      error instanceof ActionError ? error.message : `unexpected error (a bug): ${error?.stack ?? error}`;
    // One annotation per line: GitHub shows the first line of an ::error:: in the summary.
    console.log(
      `::error title=groupsync::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}`,
    );
    process.exitCode = 1;
  }
}
