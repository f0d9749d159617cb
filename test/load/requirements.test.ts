import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatError, PolicyError } from "../../src/errors.js";
import { loadLibrary } from "../../src/load/library.js";
import { loadChecklist } from "../../src/load/requirements.js";
import { tempDir } from "../helpers.js";

describe("the built-in checklist (clauses/requirements/)", async () => {
  const checklist = await loadChecklist(await loadLibrary());

  it("has the four laws, the statute first", () => {
    expect(checklist.laws.map((l) => l.id)).toEqual(["PIPL", "GBT35273", "MIIT", "GDPR"]);
  });

  it("has the PIPL items the issue lists", () => {
    const ids = checklist.items.map((i) => i.id);
    for (const id of ["PIPL-17-1-1", "PIPL-17-1-2-purposes", "PIPL-17-1-2-retention", "PIPL-17-1-3", "PIPL-17-2", "PIPL-23", "PIPL-24-2", "PIPL-24-3", "PIPL-28-29", "PIPL-30", "PIPL-31", "PIPL-39", "PIPL-50", "PIPL-52", "PIPL-53", "PIPL-57"])
      expect(ids).toContain(id);
  });

  it("gives every item an article and a requirement in both languages, and a file:line", () => {
    for (const item of checklist.items) {
      expect(item.article["zh-CN"] && item.article.en && item.requires["zh-CN"] && item.requires.en, item.id).toBeTruthy();
      expect(item.file, item.id).toMatch(/clauses\/requirements\/[a-z0-9-]+\.yaml$/);
      expect(item.line, item.id).toBeGreaterThan(0);
    }
  });
});

describe("a lawyer's mistakes in a checklist file are errors with file and line", () => {
  const write = (text: string) => {
    const dir = join(tempDir(), "requirements");
    mkdirSync(dir);
    writeFileSync(join(dir, "law.yaml"), text);
    return dir;
  };
  const head = "law: { id: ACT, short: { zh-CN: 某法, en: Act }, name: { zh-CN: 某法, en: The Act } }\nitems:\n";
  const item = (id: string, rest: string) => `  - id: ${id}\n    article: { zh-CN: 第一条, en: Art. 1 }\n    requires: { zh-CN: 说明。, en: Say it. }\n${rest}`;
  const messages = async (dir: string) => {
    const error = await loadChecklist(await loadLibrary(), dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    return formatError(error as PolicyError).replaceAll(`${dir}/`, "");
  };

  it("names unknown topics, clauses and profile fields", async () => {
    // collection.sensitve: a misspelt field of a list's elements used to pass (the list itself was taken for it)
    const dir = write(head + item("ACT-1", "    severity: required\n    appliesWhen: { features.cookie: true, collection.sensitve: true, children.ageThreshold: \"14\" }\n    satisfiedBy: { topics: [cookie], clauses: [contact.nope], fields: [contact.mail] }\n"));
    expect(await messages(dir)).toBe(
      [
        'law.yaml:3  error UNKNOWN_REQUIREMENT_REFERENCE [ACT-1]: satisfiedBy names the topic "cookie", which clauses/topics.yaml does not list',
        "    hint: Use a topic from clauses/topics.yaml.",
        'law.yaml:3  error UNKNOWN_REQUIREMENT_REFERENCE [ACT-1]: satisfiedBy names the clause "contact.nope", which the library does not have',
        "    hint: List the clauses with `policypress clauses`; an id without :variant means any variant.",
        'law.yaml:3  error UNKNOWN_REQUIREMENT_REFERENCE [ACT-1]: "features.cookie" is not a profile field',
        "    hint: See schema/profile.schema.json for the fields.",
        'law.yaml:3  error UNKNOWN_REQUIREMENT_REFERENCE [ACT-1]: "collection.sensitve" is not a profile field',
        "    hint: See schema/profile.schema.json for the fields.",
        'law.yaml:3  error UNKNOWN_REQUIREMENT_REFERENCE [ACT-1]: "contact.mail" is not a profile field',
        "    hint: See schema/profile.schema.json for the fields.",
        'law.yaml:3  error UNKNOWN_REQUIREMENT_REFERENCE [ACT-1]: appliesWhen: the condition compares children.ageThreshold with "14", a value the profile can never hold there, so it never holds',
        "    hint: children.ageThreshold is a number: write the number without quotes; true and false test whether it is set.",
        "6 problems found.",
      ].join("\n"),
    );
  });

  it("refuses a bad severity, an empty satisfiedBy and a duplicate id", async () => {
    const dir = write(head + item("ACT-1", "    severity: must\n    satisfiedBy: {}\n"));
    expect(await messages(dir)).toBe(
      [
        'law.yaml:6  error INVALID_REQUIREMENT [items[0].severity]: must be one of: "required", "recommended"',
        "law.yaml:7  error INVALID_REQUIREMENT [items[0].satisfiedBy]: must name at least one topic, clause, law reference, profile field or locale",
        "2 problems found.",
      ].join("\n"),
    );
    const dup = write(head + item("ACT-1", "    severity: required\n    satisfiedBy: { topics: [contact] }\n") + item("ACT-1", "    severity: required\n    satisfiedBy: { topics: [contact] }\n"));
    expect(await messages(dup)).toBe(
      ["law.yaml:8  error DUPLICATE_REQUIREMENT [ACT-1]: requirement ACT-1 is already defined in law.yaml:3", "    hint: Give each item its own id."].join("\n"),
    );
  });
});

describe("an own clause's law: reference in another case than the checklist's", () => {
  it("is an error at its line, with the reference as the checklist writes it", async () => {
    const own = tempDir();
    writeFileSync(
      join(own, "own.md"),
      "---\nid: own.consent\ntopic: rights\ntitle: { zh-CN: 撤回同意, en: Withdrawing consent }\nlaw: [pipl-15, Gdpr-13-2-d, PIPL-15, CSL-22]\n---\n:::zh-CN\n您可以撤回同意。\n:::\n\n:::en\nYou may withdraw your consent.\n:::\n",
    );
    const error = await loadLibrary({ own: [own] }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect(formatError(error as PolicyError).replaceAll(`${own}/`, "")).toBe(
      [
        'own.md:5  error LAW_REFERENCE_CASE [law[0]]: the law reference "pipl-15" is not written as the checklist writes PIPL, so it satisfies no item',
        "    hint: Write PIPL-15: law references are case-sensitive (docs/compliance.md).",
        'own.md:5  error LAW_REFERENCE_CASE [law[1]]: the law reference "Gdpr-13-2-d" is not written as the checklist writes GDPR, so it satisfies no item',
        "    hint: Write GDPR-13-2-d: law references are case-sensitive (docs/compliance.md).",
        "2 problems found.",
      ].join("\n"),
    );
  });
});
