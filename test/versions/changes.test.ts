import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../src/load/profile.js";
import type { PolicyDocument } from "../../src/render/document.js";
import type { Profile } from "../../src/schema/profile.js";
import { diffVersions, type VersionView } from "../../src/versions/changes.js";
import { makeNotice, noticeHtml, noticeMarkdown } from "../../src/versions/notice.js";
import { root } from "../helpers.js";

// What a change notice says (PIPL Art. 17: a change must be told), worked out from two versions.
const acme = (await loadProfile(join(root, "examples", "acme", "profile.yaml"))).profile;
const copy = (): Profile => structuredClone(acme);

/** Two documents with one clause each, `text` in both languages, and the policy's own dates. */
function view(version: string, profile: Profile, text = { zh: "甲。", en: "A." }, effective = { zh: "2026年12月1日", en: "December 1, 2026" }): VersionView {
  const doc = (locale: "zh-CN" | "en", markdown: string, date: string) =>
    ({ locale, company: "C", title: "P", effectiveIso: "2026-12-01", effective: date, updated: date, sections: [{ id: "s", clauses: [{ id: "c", title: "T", markdown }] }] }) as unknown as PolicyDocument;
  return { version, profile, documents: { "zh-CN": doc("zh-CN", text.zh, effective.zh), en: doc("en", text.en, effective.en) } };
}
const factsOf = (before: Profile, after: Profile) => {
  const changes = diffVersions(view("1.0.0", before), view("draft", after));
  return { material: changes.material, facts: changes.facts.map((f) => `${f.material ? "material" : "-"} ${f.text.en}`) };
};

describe("the facts a change notice reports", () => {
  it("more data for an SDK already named, its new purpose or provider: material", () => {
    const after = copy();
    const sdk = after.sdks[0]!;
    sdk.data = [...sdk.data, { "zh-CN": "通讯录", en: "contacts list" }];
    sdk.purpose = { "zh-CN": "广告", en: "to show advertising" };
    const name = typeof sdk.name === "string" ? sdk.name : sdk.name.en;
    expect(factsOf(acme, after)).toEqual({ material: true, facts: [`material Third-party SDK ${name} now also receives: contacts list`, `material Third-party SDK ${name} now receives personal information to show advertising`] });
  });

  it("an overseas recipient in another country, or receiving more: material", () => {
    const before = copy();
    before.storage.crossBorder = [{ recipient: { "zh-CN": "新加坡子公司", en: "our Singapore subsidiary" }, country: { "zh-CN": "新加坡", en: "Singapore" }, contact: "sg@example.com", purpose: { "zh-CN": "客服", en: "for customer support" }, data: [{ "zh-CN": "姓名", en: "name" }] }];
    const after = structuredClone(before);
    after.storage.crossBorder[0]!.country = { "zh-CN": "美国", en: "the United States" };
    after.storage.crossBorder[0]!.data.push({ "zh-CN": "身份证号码", en: "identity card number" });
    expect(factsOf(before, after).facts).toEqual([
      "material Overseas recipient our Singapore subsidiary now also receives: identity card number",
      "material The overseas recipient our Singapore subsidiary is now in the United States",
    ]);
  });

  it("a purpose changed in English only: material", () => {
    const after = copy();
    const scenario = after.collection[0]!;
    const purpose = scenario.purpose as { "zh-CN": string; en: string };
    scenario.purpose = { ...purpose, en: `${purpose.en} and to sell advertising profiles` };
    expect(factsOf(acme, after).facts).toEqual([expect.stringMatching(/^material The purpose of “.*” is now: .*sell advertising profiles$/)]);
  });

  it("a data item reworded in one language is the same item: no fact (the clause's wording change shows it)", () => {
    const after = copy();
    const items = after.collection[0]!.items;
    const first = items[0] as { "zh-CN": string; en: string };
    items[0] = { ...first, "zh-CN": `${first["zh-CN"]}（登录用）` };
    expect(factsOf(acme, after)).toEqual({ material: false, facts: [] });
  });
});

describe("dates in clauses", () => {
  it("the policy's own effective date is no change; any other date is", () => {
    const text = (date: { zh: string; en: string }) => ({ zh: `本政策自${date.zh}起生效。备份保存至2027年1月1日。`, en: `Effective ${date.en}. Backups are kept until January 1, 2027.` });
    const v1 = { zh: "2026年12月1日", en: "December 1, 2026" };
    const v2 = { zh: "2027年3月1日", en: "March 1, 2027" };
    expect(diffVersions(view("1.0.0", acme, text(v1), v1), view("draft", acme, text(v2), v2)).unchanged).toBe(true);
    const later = (d: { zh: string; en: string }) => ({ zh: text(d).zh.replace("2027年1月1日", "2099年1月1日"), en: text(d).en.replace("January 1, 2027", "January 1, 2099") });
    const changes = diffVersions(view("1.0.0", acme, text(v1), v1), view("draft", acme, later(v2), v2));
    expect(changes.clauses.map((c) => c.kind)).toEqual(["changed"]);
  });
});

describe("escapes in clauses", () => {
  it("the same words escaped otherwise are no change (a release made when addresses were escaped); other words are", () => {
    const released = { zh: "请发送邮件至 privacy\\_team@acme.example。", en: "Write to privacy\\_team@acme.example or visit https://acme.example/privacy\\_policy?a=1\\&b=2." };
    const draft = { zh: "请发送邮件至 privacy_team@acme.example。", en: "Write to privacy_team@acme.example or visit https://acme.example/privacy_policy?a=1&b=2." };
    expect(diffVersions(view("1.0.0", acme, released), view("draft", acme, draft)).unchanged).toBe(true);
    const emphasis = { ...draft, en: draft.en.replace("Write to", "Write _only_ to") };
    expect(diffVersions(view("1.0.0", acme, released), view("draft", acme, emphasis)).clauses.map((c) => c.kind)).toEqual(["changed"]);
  });
});

describe("typographic quotes", () => {
  it("straight quotes made typographic, in a clause or a profile value, are no change; other words are", () => {
    const released = { zh: "本政策所称“个人信息”。", en: `the "Services" and the company's "Platform"` };
    const typeset = { zh: released.zh, en: "the “Services” and the company’s “Platform”" };
    const before = copy();
    before.storage.location = { "zh-CN": "中华人民共和国境内", en: "within the People's Republic of China" };
    const after = copy();
    after.storage.location = { "zh-CN": "中华人民共和国境内", en: "within the People’s Republic of China" };
    expect(diffVersions(view("1.0.0", before, released), view("draft", after, typeset)).unchanged).toBe(true);
    const reworded = { ...typeset, en: typeset.en.replace("Platform", "Site") };
    expect(diffVersions(view("1.0.0", before, released), view("draft", after, reworded)).clauses.map((c) => c.kind)).toEqual(["changed"]);
  });
});

describe("the notice page's redline", () => {
  it("shows the text as printed: no Markdown escapes", () => {
    const before = view("1.0.0", acme, { zh: "甲。", en: "We keep \\*logs\\* of \\<script\\>." });
    const after = view("draft", acme, { zh: "甲。", en: "We keep \\*logs\\* and \\_tokens\\_ of \\<script\\>." });
    const html = noticeHtml(makeNotice(diffVersions(before, after), after, "2026-12-01"), { cleanCopy: {}, assets: "assets" });
    const redline = /<div lang="en"><p>(.*?)<\/p><\/div><\/section>/.exec(html.slice(html.indexOf('<section class="redline">')))![1];
    expect(redline).toBe("We keep *logs* <ins>and _tokens_ </ins>of &#60;script&#62;.");
  });

  it("shows a changed table row as a row under the table's head, its cells apart (it showed the Markdown | a | b |)", () => {
    const table = (rows: string[]) => ["We collect:", "", "| Scenario | Items |", "|---|---|", ...rows].join("\n");
    const before = view("1.0.0", acme, { zh: "甲。", en: table(["| Sign-up | mobile number |", "| Support | email \\| phone |"]) });
    const after = view("draft", acme, { zh: "甲。", en: table(["| Sign-up | mobile number and name |", "| Support | email \\| phone |", "| Marketing | email address |"]) });
    const html = noticeHtml(makeNotice(diffVersions(before, after), after, "2026-12-01"), { cleanCopy: {}, assets: "assets" });
    expect(/<div lang="en">(.*?)<\/div><\/section>/.exec(html.slice(html.indexOf('<section class="redline">')))![1]).toBe(
      '<div class="table-wrap"><table><thead><tr><th>Scenario</th><th>Items</th></tr></thead><tbody>' +
        "<tr><td>Sign-up</td><td>mobile number <ins>and name</ins></td></tr>" +
        "<tr><td><ins>Marketing</ins></td><td><ins>email address</ins></td></tr></tbody></table></div>",
    );
  });
});

describe("the notice's clause table", () => {
  it("names each clause's section by its title in both languages, not by its id", () => {
    const before = view("1.0.0", acme);
    const rights = structuredClone(before.documents["zh-CN"].sections[0]!);
    rights.id = "rights";
    rights.clauses[0]!.id = "r";
    for (const locale of ["zh-CN", "en"] as const) before.documents[locale].sections.push(structuredClone(rights));
    const after = view("draft", acme, { zh: "乙。", en: "B." });
    after.documents["zh-CN"].sections[0]!.title = "收集与使用";
    after.documents.en.sections[0]!.title = "Collection and use";
    const notice = makeNotice(diffVersions(before, after), after, "2026-12-01");
    const html = noticeHtml(notice, { cleanCopy: {}, assets: "assets" });
    const cells = [...html.matchAll(/<tr><td>[^<]*<\/td><td>.*?<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => m[1]);
    // the changed clause's section has a title; the removed clause's section is gone, named as the library names it
    expect(cells).toEqual(['<span lang="zh-CN">收集与使用</span> / <span lang="en">Collection and use</span>', '<span lang="zh-CN">您的权利</span> / <span lang="en">Your rights</span>']);
    const md = noticeMarkdown(notice);
    expect(md).toContain("| 修改 / Changed | T / T | 收集与使用 / Collection and use |");
    expect(md).toContain("| 删除 / Removed | T / T | 您的权利 / Your rights |");
  });
});

describe("bidi isolates", () => {
  it("a version released without them reads the same as its draft with them: no change to announce", () => {
    const released = view("1.0.0", acme, { zh: "联系 אופק 2 公司。", en: "Contact אופק 2 Ltd." });
    const draft = view("draft", acme, { zh: "联系 \u2068אופק 2\u2069 公司。", en: "Contact \u2068אופק 2\u2069 Ltd." });
    expect(diffVersions(released, draft).unchanged).toBe(true);
    const renamed = view("draft", acme, { zh: "联系 \u2068אופק 3\u2069 公司。", en: "Contact \u2068אופק 3\u2069 Ltd." });
    expect(diffVersions(released, renamed).clauses.map((c) => c.kind)).toEqual(["changed"]);
  });
});

describe("a notice's right-to-left values", () => {
  it("are isolated: <bdi> in the HTML, U+2068...U+2069 in the text; other values as they are", () => {
    const after = copy();
    after.sdks.push({ ...structuredClone(after.sdks[0]!), name: "ערכת פוש", provider: { "zh-CN": "示例公司", en: "Example Ltd." } });
    const changes = diffVersions(view("1.0.0", acme), view("draft", after));
    expect(changes.facts.map((f) => f.text.en)).toEqual([`New third-party SDK: \u2068ערכת פוש\u2069 (Example Ltd.), to send notifications to the app`]);
    const html = noticeHtml(makeNotice(changes, view("draft", after), "2026-12-01"), { cleanCopy: {}, assets: "assets" });
    expect(html).toContain("<li>New third-party SDK: <bdi>ערכת פוש</bdi> (Example Ltd.), to send notifications to the app</li>");
    expect(html).not.toMatch(/[\u2068\u2069]/);
  });
});
