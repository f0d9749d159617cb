import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCompliance } from "../../src/check/compliance.js";
import { fieldsRead } from "../../src/check/fields-read.js";
import { evaluateRequirements, type ItemResult } from "../../src/check/requirements.js";
import { loadChecklist } from "../../src/load/requirements.js";
import { tempDir } from "../helpers.js";
import { runCase } from "./fixture.js";

const byId = (results: ItemResult[], id: string) => results.find((r) => r.item.id === id)!;
const via = (r: ItemResult) => r.evidence.map((e) => (e.clause ? `${e.clause} (${e.via})` : e.via));

describe("requirements: satisfied, and by what", async () => {
  const { report } = await runCase("pass-base");
  const r = (id: string) => byId(report.requirements, id);

  it("every item of the base profile is satisfied or does not apply", () => {
    expect(report.requirements.filter((x) => x.status === "missing").map((x) => x.item.id)).toEqual([]);
    expect(report.requirements.filter((x) => x.status === "satisfied").length).toBeGreaterThan(40);
  });

  it("names the clause and why it counts: listed, topic, law reference, printed field, language version", () => {
    expect(via(r("PIPL-17-1-1"))).toEqual(["contact.handler-identity:registered-address (listed)", "contact.channels:responsible-entity-working-days (listed)"]);
    expect(via(r("PIPL-17-1-2-retention"))).toEqual(["retention.period:working-days-after-closure (topic retention)"]);
    expect(via(r("PIPL-57"))).toEqual(["security.incidents:response-team (law: PIPL-57)"]);
    expect(via(r("PIPL-39"))).toEqual(["cross-border.list:default (prints storage.crossBorder)"]);
    expect(via(r("PIPL-28-29"))).toEqual(["collection.sensitive:necessity-separate-consent (listed)"]);
    expect(via(r("MIIT-APP-1-4"))).toEqual(["zh-CN version"]);
  });

  it("gives each clause's anchor in the policy pages", () => {
    expect(r("PIPL-17-1-1").evidence[0]).toMatchObject({ clause: "contact.handler-identity:registered-address", anchor: "contact-handler-identity" });
  });

  it("says why an item does not apply", () => {
    expect(r("GDPR-13-1-a")).toMatchObject({ status: "not-applicable", reason: "applies when law.servesEu is set" });
    expect(r("PIPL-53")).toMatchObject({ status: "not-applicable", reason: "applies when company.outsideChina is set" });
  });
});

describe("requirements: when they apply", () => {
  it("sensitive personal information: declared by a feature or by a sensitive scenario; not applicable otherwise", async () => {
    const none = (await runCase("no-sensitive-data")).report;
    expect(byId(none.requirements, "PIPL-28-29")).toMatchObject({
      status: "not-applicable",
      reason: "applies when (collection.sensitive is set or features.faceData is set or features.idNumbers is set or features.bankCards is set or features.preciseLocation is set or children.directed is set)",
    });
    for (const name of ["face-data-only-no-clause", "sensitive-item-no-clause"])
      expect(byId((await runCase(name)).report.requirements, "PIPL-28-29").status, name).toBe("missing");
  });

  it("the app rules only for an app; GDPR only for a profile that serves the EU, satisfied by an own clause's law:", async () => {
    const eu = (await runCase("gdpr")).report;
    expect(eu.requirements.filter((x) => x.item.law.id === "GDPR").map((x) => x.status)).not.toContain("not-applicable");
    expect(via(byId(eu.requirements, "GDPR-13-1-c"))).toEqual(["gdpr.article-13:fixture (law: GDPR-13-1-c)"]);
  });

  it("the Simplified Chinese version: missing when the policy is built in English only", async () => {
    const { policy } = await runCase("pass-base");
    const report = await checkCompliance({ ...policy, documents: { en: policy.documents.en } });
    expect(byId(report.requirements, "MIIT-APP-1-4")).toMatchObject({ status: "missing", add: "No clause in the library satisfies it yet: write one, add it to the policy, and name it in satisfiedBy of MIIT-APP-1-4 (clauses/requirements/miit-app.yaml)." });
    expect(report.problems.map((p) => p.message)).toContain("the policy has no zh-CN version");
  });
});

describe("requirements: what to add", () => {
  it("an item no clause in the library satisfies names the law: reference a new clause should carry", async () => {
    const { policy } = await runCase("pass-base");
    const dir = tempDir();
    mkdirSync(join(dir, "rules"));
    writeFileSync(
      join(dir, "rules", "xyz.yaml"),
      "law: { id: XYZ, short: { zh-CN: XYZ, en: XYZ }, name: { zh-CN: 某法, en: Some Act } }\nitems:\n  - id: XYZ-1\n    article: { zh-CN: 第一条, en: Art. 1 }\n    requires: { zh-CN: 说明某事。, en: Say something. }\n    severity: required\n    satisfiedBy: { law: [XYZ-1] }\n",
    );
    const results = evaluateRequirements(await loadChecklist(policy.library, join(dir, "rules")), policy);
    expect(results[0]).toMatchObject({
      status: "missing",
      add: "No clause in the library satisfies it yet: write one with `law: [XYZ-1]` in its front matter (docs/clause-format.md) and add it to the policy.",
    });
  });
});

describe("the fields a clause reads", async () => {
  const { policy } = await runCase("pass-base");
  const clause = (key: string) => policy.library.clauses.get(key)!;

  it("reads placeholders, helper arguments, block conditions and its own when:", () => {
    expect([...fieldsRead(clause("contact.officer:designated"))]).toEqual(expect.arrayContaining(["contact.officer", "contact.officer.name", "contact.officer.email", "contact.officer.phone"]));
    expect([...fieldsRead(clause("contact.channels:responsible-entity-working-days"))]).toEqual(expect.arrayContaining(["contact.email", "contact.responseDays", "contact.phone"]));
  });

  it("reads a field of a list's items through the list: storage.crossBorder.recipient", () => {
    expect([...fieldsRead(clause("cross-border.list:default"))]).toEqual(expect.arrayContaining(["storage.crossBorder", "storage.crossBorder.recipient", "storage.crossBorder.data"]));
    expect([...fieldsRead(clause("collection.list:default"))]).toEqual(expect.arrayContaining(["collection", "collection.items", "collection.sensitive"]));
  });
});
