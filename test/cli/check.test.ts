import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, fixtures, root, tempDir } from "../helpers.js";
import { caseProfile } from "../check/fixture.js";

describe("policypress check: the checklist and the consistency rules", () => {
  it("passes the bundled example, with a table of items by law", () => {
    const r = cli(["check"]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PIPL {2}Personal Information Protection Law/m);
    expect(r.stdout).toMatch(/^ {2}ok {7}PIPL-17-1-1 +Art\. 17\(1\)\(i\) +contact\.handler-identity:registered-address/m);
    expect(r.stdout).toMatch(/^ {2}n\/a {6}GDPR-13-1-a +Art\. 13\(1\)\(a\) +applies when law\.servesEu is set$/m);
    expect(r.stdout).toMatch(/^ {2}ok {7}declarations-covered/m);
  });

  it("fails when the contact is removed, naming PIPL Art. 17 and the clauses to add", () => {
    const r = cli(["check", caseProfile("no-contact")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}MISSING {2}PIPL-17-1-1 /m);
    expect(r.stderr).toContain("error REQUIREMENT_MISSING [PIPL-17-1-1]: PIPL Art. 17(1)(i) not met: give the handler's name and contact details");
    expect(r.stderr).toContain("hint: Add one of these clauses (clauses.add in the profile, or the clause set): contact.channels:responsible-entity-working-days (in the clause set, left out: removed by the profile (clauses.remove))");
  });

  it("fails when face data is declared without the sensitive-data clause, naming PIPL Arts. 28-29", () => {
    const r = cli(["check", caseProfile("face-data-only-no-clause")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error REQUIREMENT_MISSING [PIPL-28-29]: PIPL Arts. 28-29 not met: process sensitive personal information only for a specific purpose");
    expect(r.stderr).toContain("hint: Add the clause (clauses.add in the profile, or the clause set): collection.sensitive:necessity-separate-consent");
  });

  it("gives every item's status and evidence with --json", () => {
    const r = cli(["check", caseProfile("no-contact"), "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(false);
    const items = json.results[0].requirements;
    expect(items.find((i: { id: string }) => i.id === "PIPL-17-1-1")).toMatchObject({ law: "PIPL", status: "missing", severity: "required", article: { en: "Art. 17(1)(i)" } });
    expect(items.find((i: { id: string }) => i.id === "PIPL-57")).toMatchObject({ status: "satisfied", satisfiedBy: [{ clause: "security.incidents:response-team", anchor: "security-incidents", via: "law: PIPL-57" }] });
    expect(json.problems.map((p: { field: string }) => p.field)).toEqual(["PIPL-17-1-1", "GBT35273-5.5-1"]);
  });

  it("offers a clause for a section the set has: SECTION, where it has none for the family, comes with the set's sections", () => {
    const r = cli(["check", join(root, "examples", "sources", "ppio", "profile.yaml"), "--json"]);
    const dates = JSON.parse(r.stdout).results[0].requirements.find((i: { id: string }) => i.id === "GBT35273-D-dates");
    expect(dates.add).toBe(
      "Add one of these clauses (clauses.add in the profile, or the clause set): effective.dates:default; effective.on-publication:publication-date; effective.signature:company-and-version. In the profile: clauses: { add: [{ clause: effective.dates:default, section: SECTION }] }, SECTION being one of the clause set's sections (intro, collection, cookies, sharing, rights, exclusions, children, security, retention, changes, contact).",
    );
  });

  it("writes a page for lawyers, items by law, linked to the clauses in the policy pages", () => {
    const file = join(tempDir(), "compliance.html");
    expect(cli(["check", "--html", file, "-q"]).code).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html).toContain("<h3>中华人民共和国个人信息保护法<br><small>Personal Information Protection Law of the People&#39;s Republic of China</small></h3>");
    expect(html).toContain('<a href="policy.zh-CN.html#contact-handler-identity">中文</a> · <a href="policy.en.html#contact-handler-identity">English</a>');
  });

  it("prints one Markdown table for several profiles, a column each", () => {
    const r = cli(["check", "--markdown", caseProfile("pass-base"), caseProfile("no-contact")]);
    expect(r.code).toBe(1);
    // the slug of a profile.yaml is its folder's name
    expect(r.stdout.split("\n")[0]).toMatch(/^\| Law \| Item \| Article \| The policy must \| pp-check-\w+ \| pp-check-\w+ \|$/);
    expect(r.stdout).toContain("| PIPL | PIPL-17-1-1 | Art. 17(1)(i) | Give the handler's name and contact details. | ok | **MISSING** |");
  });
});

describe("check --html naming one of its inputs", () => {
  it("is refused before the page is written: the profile, or a file of its own clause folders, stays as it was", () => {
    const dir = tempDir();
    const profile = join(dir, "profile.yaml");
    const text = readFileSync(join(fixtures, "golden", "profile.yaml"), "utf8");
    cpSync(join(fixtures, "golden"), dir, { recursive: true, filter: (p) => !p.includes("expected") });
    // `check profile.yaml --html profile.yaml` replaced the profile with the page
    const r = cli(["check", profile, "--html", profile], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("profile.yaml  error OUTPUT_OVERLAPS_INPUT: --html names the profile profile.yaml: writing the page would replace it\n    hint: Name another file, e.g. --html compliance.html.");
    expect(readFileSync(profile, "utf8")).toBe(text);
    const clause = join(dir, "own", "rights.md");
    const before = readFileSync(clause, "utf8");
    const c = cli(["check", profile, "--html", clause], { cwd: dir });
    expect(c.stderr).toContain("own/rights.md  error OUTPUT_OVERLAPS_INPUT: --html names a file in own, which holds this command's input: writing the page would replace it");
    expect(readFileSync(clause, "utf8")).toBe(before);
  });
});

describe("a profile that cannot be checked is never left out of a report", () => {
  const bad = () => {
    const file = join(tempDir(), "broken.yaml");
    writeFileSync(file, "company: 3\n");
    return file;
  };

  it("is named under the Markdown table, and alone gives that line instead of nothing", () => {
    const both = cli(["check", "--markdown", caseProfile("pass-base"), bad()]);
    expect(both.code).toBe(1);
    expect(both.stdout.trim().split("\n").pop()).toMatch(/^Not checked, because the profile or its clauses have errors \(listed on stderr\): `.*broken\.yaml` \(\d+\)\.$/);
    const alone = cli(["check", "--markdown", bad()]);
    expect(alone.stdout.trim()).toMatch(/^Not checked, because .*broken\.yaml/);
  });

  it("has a section of its own, with its problems, in the page for lawyers", () => {
    const file = join(tempDir(), "compliance.html");
    expect(cli(["check", "--html", file, "-q", bad()]).code).toBe(1);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/<h2>.*broken\.yaml <small class="MISSING">未检查 \/ not checked<\/small><\/h2>/);
    expect(html).toContain("must be a mapping (key: value lines), not number 3");
  });
});

describe("policypress build is not a compliance gate", () => {
  it("builds a policy that misses a required item, and warns on stderr", () => {
    const r = cli(["build", caseProfile("no-contact"), "--out", tempDir(), "--formats", "md", "-q"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: ");
    expect(r.stderr).toContain("REQUIREMENT_MISSING [PIPL-17-1-1]: PIPL Art. 17(1)(i) not met: give the handler's name and contact details");
    expect(r.stderr).not.toContain("error REQUIREMENT_MISSING");
    // with --json, each warning is an object a script can read, with the line of the profile
    const json = JSON.parse(cli(["build", caseProfile("no-contact"), "--out", tempDir(), "--formats", "md", "--json"]).stdout) as { warnings: Record<string, unknown>[] };
    expect(json.warnings).toContainEqual(expect.objectContaining({ code: "REQUIREMENT_MISSING", field: "PIPL-17-1-1", line: expect.any(Number), file: expect.stringMatching(/\.yaml$/), hint: expect.any(String) }));
  });
});
