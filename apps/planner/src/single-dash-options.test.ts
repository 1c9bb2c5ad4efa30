import { describe, expect, it } from "vitest";
import type { OptionDef } from "./command.js";
import { expandSingleDashOptions } from "./single-dash-options.js";

const OPTIONS: Record<string, OptionDef> = {
  help: { type: "boolean", short: "h", description: "" },
  file: { type: "string", short: "f", description: "" },
  out: { type: "string", description: "" },
  format: { type: "string", description: "" },
  color: { type: "boolean", negatable: true, description: "" },
  "auto-approve": { type: "boolean", description: "" },
  "detailed-exitcode": { type: "boolean", description: "" },
};

describe("expandSingleDashOptions", () => {
  it.each([
    [["-out=plan.json"], ["--out=plan.json"]],
    [
      ["-out", "plan.json"],
      ["--out", "plan.json"],
    ],
    [
      ["-auto-approve", "-detailed-exitcode"],
      ["--auto-approve", "--detailed-exitcode"],
    ],
    [["-no-color"], ["--no-color"]],
    [["-json"], ["--format=json"]],
    [["-format=json"], ["--format=json"]],
    // Short options are untouched.
    [["-h"], ["-h"]],
    [
      ["-f", "pin.yaml"],
      ["-f", "pin.yaml"],
    ],
    [["-fpin.yaml"], ["-fpin.yaml"]],
    [["-fpin"], ["-fpin"]],
    // Values and what follows `--` are never options.
    [
      ["--out", "-json"],
      ["--out", "-json"],
    ],
    [
      ["-f", "-out"],
      ["-f", "-out"],
    ],
    [
      ["--", "-auto-approve"],
      ["--", "-auto-approve"],
    ],
    [
      ["--out=-x", "plan"],
      ["--out=-x", "plan"],
    ],
  ])("%j -> %j", (args, expanded) => {
    expect(expandSingleDashOptions(args, OPTIONS, "plan")).toEqual(expanded);
  });

  it.each([["-var-file=x.tfvars"], ["-lock"], ["-no-out"]])("refuses %s by its own name", (arg) => {
    expect(() => expandSingleDashOptions([arg], OPTIONS, "plan")).toThrowError(
      `Unknown option "${arg.replace(/=.*/, "")}".`,
    );
  });

  it("has no -json where the command has no --format", () => {
    const { format: _format, ...noFormat } = OPTIONS;
    expect(() => expandSingleDashOptions(["-json"], noFormat, "apply")).toThrowError(
      'Unknown option "-json".',
    );
  });
});
