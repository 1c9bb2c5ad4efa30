import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An issue comment as GitHub's REST API returns it (the fields the action reads). */
export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

/** An issue (or pull request: `pull_request` set) as GitHub returns it. */
export interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string;
  pull_request?: Record<string, never>;
}

/** A pull request as `GET /repos/{owner}/{repo}/commits/{sha}/pulls` returns it. */
export interface Pull {
  number: number;
  merged_at: string | null;
  head: { sha: string };
}

/**
 * A local server speaking the few GitHub REST endpoints action/comment.mjs calls, with GitHub's
 * shapes: issue comments (list with `per_page`/`page` and `Link: rel="next"`, create, update,
 * delete), issues (list open, create, update), pull requests of a commit. Bearer-token auth;
 * every request is logged. In memory; `port 0`.
 */
export class FakeGitHub {
  readonly repo: string;
  readonly token: string;
  readonly comments = new Map<number, Comment[]>();
  readonly issues: Issue[] = [];
  readonly pullsOfCommit = new Map<string, Pull[]>();
  readonly log: string[] = [];
  /** The largest page size served, whatever `per_page` asks (GitHub's is 100). */
  maxPerPage = 100;
  private nextId = 1000;
  private server: Server | undefined;
  url = "";

  constructor(repo = "acme/groups", token = "ghs_fake-github-token") {
    this.repo = repo;
    this.token = token;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Adds a comment as someone else would (a reviewer, a bot), returning it. */
  addComment(issue: number, body: string, login = "github-actions[bot]"): Comment {
    const comment = {
      id: this.nextId++,
      body,
      user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" },
    };
    this.list(issue).push(comment);
    return comment;
  }

  list(issue: number): Comment[] {
    let list = this.comments.get(issue);
    if (list === undefined) this.comments.set(issue, (list = []));
    return list;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    this.log.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return send(401, { message: "Bad credentials" });
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    const input = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
    const prefix = `/repos/${this.repo}`;
    if (!url.pathname.startsWith(`${prefix}/`)) return send(404, { message: "Not Found" });
    const path = url.pathname.slice(prefix.length);
    let m: RegExpExecArray | null;

    if ((m = /^\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = Number(m[1]);
      if (req.method === "GET") return this.page(url, this.list(issue), send);
      if (req.method === "POST") {
        if (typeof input["body"] !== "string") return send(422, { message: "body is missing" });
        if (input["body"].length > 65_536)
          return send(422, { message: "body is too long (maximum is 65536 characters)" });
        return send(201, this.addComment(issue, input["body"]));
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(path))) {
      const id = Number(m[1]);
      for (const list of this.comments.values()) {
        const i = list.findIndex((c) => c.id === id);
        if (i < 0) continue;
        if (req.method === "PATCH") {
          if (typeof input["body"] !== "string") return send(422, { message: "body is missing" });
          if (input["body"].length > 65_536) return send(422, { message: "body is too long" });
          (list[i] as Comment).body = input["body"];
          return send(200, list[i]);
        }
        if (req.method === "DELETE") {
          list.splice(i, 1);
          return send(204);
        }
      }
      return send(404, { message: "Not Found" });
    }
    if (path === "/issues") {
      if (req.method === "GET") {
        const state = url.searchParams.get("state") ?? "open";
        return this.page(
          url,
          state === "all" ? this.issues : this.issues.filter((i) => i.state === state),
          send,
        );
      }
      if (req.method === "POST") {
        const issue: Issue = {
          number: this.issues.length + 1,
          title: String(input["title"]),
          body: String(input["body"] ?? ""),
          state: "open",
        };
        this.issues.push(issue);
        return send(201, issue);
      }
    }
    if ((m = /^\/issues\/(\d+)$/.exec(path)) && req.method === "PATCH") {
      const issue = this.issues.find((i) => i.number === Number(m?.[1]));
      if (issue === undefined) return send(404, { message: "Not Found" });
      Object.assign(issue, input);
      return send(200, issue);
    }
    if ((m = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(path)) && req.method === "GET") {
      return send(200, this.pullsOfCommit.get(m[1] ?? "") ?? []);
    }
    return send(404, { message: "Not Found" });
  }

  private page(
    url: URL,
    items: readonly unknown[],
    send: (s: number, b: unknown, h?: Record<string, string>) => void,
  ) {
    const perPage = Math.min(this.maxPerPage, Number(url.searchParams.get("per_page") ?? "30"));
    const page = Number(url.searchParams.get("page") ?? "1");
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      headers["link"] = `<${next.href}>; rel="next", <${url.href}>; rel="first"`;
    }
    send(200, slice, headers);
  }
}
