import type { PolicyDocument } from "../render/document.js";
import { markdownToHtml } from "../render/html.js";
import { ISOLATE_CLOSE, ISOLATE_OPEN, needsIsolate } from "../render/text.js";
import { pick, type Locale } from "../schema/localized.js";
import type { Profile } from "../schema/profile.js";
import { redline, type RedlinePart } from "./redline.js";
import type { Bump } from "./semver.js";

type Bilingual = { "zh-CN": string; en: string };

export interface ClauseChange {
  kind: "added" | "removed" | "changed" | "moved";
  id: string;
  title: Bilingual;
  section: { from?: string; to?: string };
  /** For changed clauses: word-level insertions and deletions per locale. */
  redline?: Record<Locale, RedlinePart[]>;
}

export type FactArea = "collection" | "purposes" | "sdks" | "recipients" | "cross-border" | "storage" | "retention" | "contact" | "rights" | "features";

export interface FactChange {
  area: FactArea;
  kind: "added" | "removed" | "changed";
  /** Widens what is collected, why, who receives it or where it goes, or narrows the user's rights. */
  material: boolean;
  text: Bilingual;
}

/** Everything that changed from one version of a policy to the next. */
export interface ChangeSet {
  from: string | null;
  to: string;
  clauses: ClauseChange[];
  facts: FactChange[];
  material: boolean;
  /** major for a material change, minor for additions, patch for wording. */
  bump: Bump;
  unchanged: boolean;
}

export interface VersionView {
  version: string;
  profile: Profile;
  documents: Record<Locale, PolicyDocument>;
}

interface FlatClause {
  id: string;
  section: string;
  title: Bilingual;
  text: Bilingual;
}

function flatten(docs: Record<Locale, PolicyDocument>): FlatClause[] {
  return docs["zh-CN"].sections.flatMap((s, i) =>
    s.clauses.map((c, j) => {
      const en = docs.en.sections[i]!.clauses[j]!;
      return { id: c.id, section: s.id, title: { "zh-CN": c.title, en: en.title }, text: { "zh-CN": c.markdown, en: en.markdown } };
    }),
  );
}

export function diffVersions(before: VersionView | null, after: VersionView): ChangeSet {
  const clauses = before ? clauseChanges(flatten(before.documents), flatten(after.documents), policyDates(before.documents), policyDates(after.documents)) : [];
  const facts = before ? factChanges(before.profile, after.profile) : [];
  const rightsRemoved = clauses.some((c) => c.kind === "removed" && c.section.from === "rights");
  const material = facts.some((f) => f.material) || rightsRemoved;
  const added = clauses.some((c) => c.kind === "added") || facts.some((f) => f.kind === "added");
  const unchanged = before !== null && clauses.length === 0 && facts.length === 0;
  return { from: before?.version ?? null, to: after.version, clauses, facts, material, bump: material ? "major" : added ? "minor" : "patch", unchanged };
}

function clauseChanges(before: FlatClause[], after: FlatClause[], datesBefore: Record<Locale, string[]>, datesAfter: Record<Locale, string[]>): ClauseChange[] {
  const sameButDates = (locale: Locale, a: string, b: string) => {
    if (a === b) return true;
    const [was, now] = [withoutDates(a, datesBefore[locale]), withoutDates(b, datesAfter[locale])];
    return was === now || readsTheSame(was, now);
  };
  const old = new Map(before.map((c) => [c.id, c]));
  const now = new Map(after.map((c) => [c.id, c]));
  const changes: ClauseChange[] = [];
  const keptOrder = longestCommonOrder(before.map((c) => c.id).filter((id) => now.has(id)), after.map((c) => c.id).filter((id) => old.has(id)));
  for (const c of after) {
    const was = old.get(c.id);
    if (!was) changes.push({ kind: "added", id: c.id, title: c.title, section: { to: c.section } });
    else {
      if (!sameButDates("zh-CN", was.text["zh-CN"], c.text["zh-CN"]) || !sameButDates("en", was.text.en, c.text.en))
        changes.push({
          kind: "changed", id: c.id, title: c.title, section: { from: was.section, to: c.section },
          redline: { "zh-CN": redline(was.text["zh-CN"], c.text["zh-CN"], "zh-CN"), en: redline(was.text.en, c.text.en, "en") },
        });
      if (was.section !== c.section || !keptOrder.has(c.id)) changes.push({ kind: "moved", id: c.id, title: c.title, section: { from: was.section, to: c.section } });
    }
  }
  for (const c of before) if (!now.has(c.id)) changes.push({ kind: "removed", id: c.id, title: c.title, section: { from: c.section } });
  return changes;
}

// Every release carries new dates (the effective-date line): a clause that differs only in the policy's
// own effective and update dates has not changed in substance, and the notice gives the new ones. Any
// other date in a clause (a deadline, "backups until 2027") is substance.
const policyDates = (docs: Record<Locale, PolicyDocument>): Record<Locale, string[]> =>
  ({ "zh-CN": [docs["zh-CN"].effective, docs["zh-CN"].updated], en: [docs.en.effective, docs.en.updated] });
// Text that reads the same has not changed, for a release made before any of these: other Markdown escapes
// (an address written as it is, no longer `privacy\_team@...`), “quotes” and ’ for "quotes" and ' (the
// library was typeset in 0.1), and the bidi isolates around right-to-left values (text.ts), which only say
// how to lay the text out.
const typewriterQuotes = (text: string) => text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
const withoutIsolates = (markdown: string) => markdown.replace(/[\u2068\u2069]/g, "");
const readsTheSame = (a: string, b: string) => {
  const [was, now] = [typewriterQuotes(withoutIsolates(a)), typewriterQuotes(withoutIsolates(b))];
  return was === now || markdownToHtml(was) === markdownToHtml(now);
};
const withoutDates = (text: string, dates: string[]) => dates.filter(Boolean).reduce((t, d) => t.split(d).join("\u0000DATE\u0000"), text);

/** The ids that keep their relative order (a longest common subsequence); the others moved. */
function longestCommonOrder(a: string[], b: string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) (kept.add(a[i]!), i++, j++);
    else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

type Text = string | { "zh-CN": string; en: string };
/**
 * A value as a notice says it: in a bidi isolate (U+2068...U+2069, text.ts) when it has right-to-left
 * letters, so a Hebrew SDK name does not take the words and commas around it into its direction.
 */
function spoken(v: Text, locale: Locale): string {
  const text = pick(v, locale);
  return needsIsolate(text) ? `${ISOLATE_OPEN}${text}${ISOLATE_CLOSE}` : text;
}
const both = (v: Text): Bilingual => ({ "zh-CN": spoken(v, "zh-CN"), en: spoken(v, "en") });
/** The same thing: the same text in either language (a translation corrected, or the Chinese reworded, is no new item). */
const same = (a: string, b: string) => a === b || typewriterQuotes(a) === typewriterQuotes(b);
const sameThing = (a: Text, b: Text) => same(pick(a, "zh-CN"), pick(b, "zh-CN")) || same(pick(a, "en"), pick(b, "en"));
/** The same words in both languages: a purpose or a country changed in either language has changed. */
const sameText = (a: Text | undefined, b: Text | undefined) => (a === undefined || b === undefined ? a === b : same(pick(a, "zh-CN"), pick(b, "zh-CN")) && same(pick(a, "en"), pick(b, "en")));
const listOf = (items: Text[], locale: Locale) => items.map((i) => spoken(i, locale)).join(locale === "zh-CN" ? "、" : ", ");
/** The items of `b` that `a` does not have. */
const newIn = (a: Text[], b: Text[]) => b.filter((x) => !a.some((y) => sameThing(x, y)));

/** Profile facts that changed, said in plain words in both languages. */
function factChanges(a: Profile, b: Profile): FactChange[] {
  const out: FactChange[] = [];
  const add = (area: FactArea, kind: FactChange["kind"], material: boolean, zh: string, en: string) => out.push({ area, kind, material, text: { "zh-CN": zh, en } });

  for (const s of b.collection) {
    const was = a.collection.find((x) => sameThing(x.scenario, s.scenario));
    const name = both(s.scenario);
    if (!was) {
      add("collection", "added", true, `新增业务场景“${name["zh-CN"]}”，收集${listOf(s.items, "zh-CN")}，用于${spoken(s.purpose, "zh-CN")}`, `New scenario “${name.en}”: we collect ${listOf(s.items, "en")} ${spoken(s.purpose, "en")}`);
      continue;
    }
    const added = newIn(was.items, s.items);
    const removed = newIn(s.items, was.items);
    if (added.length) add("collection", "added", true, `“${name["zh-CN"]}”场景新增收集：${listOf(added, "zh-CN")}`, `“${name.en}” now also collects: ${listOf(added, "en")}`);
    if (removed.length) add("collection", "removed", false, `“${name["zh-CN"]}”场景不再收集：${listOf(removed, "zh-CN")}`, `“${name.en}” no longer collects: ${listOf(removed, "en")}`);
    if (!sameText(was.purpose, s.purpose)) add("purposes", "changed", true, `“${name["zh-CN"]}”场景的使用目的变更为：${spoken(s.purpose, "zh-CN")}`, `The purpose of “${name.en}” is now: ${spoken(s.purpose, "en")}`);
    if (!was.sensitive && s.sensitive) add("collection", "changed", true, `“${name["zh-CN"]}”场景现涉及敏感个人信息`, `“${name.en}” now involves sensitive personal information`);
  }
  for (const s of a.collection)
    if (!b.collection.some((x) => sameThing(x.scenario, s.scenario))) add("collection", "removed", false, `不再有业务场景“${spoken(s.scenario, "zh-CN")}”`, `Scenario “${spoken(s.scenario, "en")}” is gone`);

  // who receives personal information: a new recipient, or more data, another purpose or another country for one already named
  const receivers = <T extends { purpose: Text; data: Text[] }>(area: FactArea, list: [T[], T[]], nameOf: (x: T) => Text, say: { added: (x: T) => Bilingual; removed: (x: T) => Bilingual; label: Bilingual }, extra?: (was: T, now: T) => void) =>
    listChanges(list[0], list[1], (x, y) => sameThing(nameOf(x), nameOf(y)), (x, kind) => {
      const text = kind === "added" ? say.added(x) : say.removed(x);
      add(area, kind, kind === "added", text["zh-CN"], text.en);
    }, (was, now) => {
      const name = both(nameOf(now));
      const more = newIn(was.data, now.data);
      const fewer = newIn(now.data, was.data);
      if (more.length) add(area, "changed", true, `${say.label["zh-CN"]}${name["zh-CN"]}新增获得：${listOf(more, "zh-CN")}`, `${say.label.en} ${name.en} now also receives: ${listOf(more, "en")}`);
      if (fewer.length) add(area, "changed", false, `${say.label["zh-CN"]}${name["zh-CN"]}不再获得：${listOf(fewer, "zh-CN")}`, `${say.label.en} ${name.en} no longer receives: ${listOf(fewer, "en")}`);
      if (!sameText(was.purpose, now.purpose)) add(area, "changed", true, `${say.label["zh-CN"]}${name["zh-CN"]}的使用目的变更为：${spoken(now.purpose, "zh-CN")}`, `${say.label.en} ${name.en} now receives personal information ${spoken(now.purpose, "en")}`);
      extra?.(was, now);
    });

  receivers("sdks", [a.sdks, b.sdks], (x) => x.name, {
    label: { "zh-CN": "第三方 SDK ", en: "Third-party SDK" },
    added: (x) => ({ "zh-CN": `新增第三方 SDK：${spoken(x.name, "zh-CN")}（${spoken(x.provider, "zh-CN")}），用于${spoken(x.purpose, "zh-CN")}`, en: `New third-party SDK: ${spoken(x.name, "en")} (${spoken(x.provider, "en")}), ${spoken(x.purpose, "en")}` }),
    removed: (x) => ({ "zh-CN": `不再使用第三方 SDK：${spoken(x.name, "zh-CN")}`, en: `Third-party SDK no longer used: ${spoken(x.name, "en")}` }),
  }, (was, now) => {
    if (!sameText(was.provider, now.provider)) add("sdks", "changed", true, `第三方 SDK ${spoken(now.name, "zh-CN")}的提供方变更为${spoken(now.provider, "zh-CN")}`, `Third-party SDK ${spoken(now.name, "en")} is now provided by ${spoken(now.provider, "en")}`);
  });
  receivers("recipients", [a.recipients, b.recipients], (x) => x.name, {
    label: { "zh-CN": "接收方", en: "Recipient" },
    added: (x) => ({ "zh-CN": `新增个人信息接收方：${spoken(x.name, "zh-CN")}，用于${spoken(x.purpose, "zh-CN")}`, en: `New recipient of personal information: ${spoken(x.name, "en")}, ${spoken(x.purpose, "en")}` }),
    removed: (x) => ({ "zh-CN": `不再向${spoken(x.name, "zh-CN")}提供个人信息`, en: `We no longer provide personal information to ${spoken(x.name, "en")}` }),
  });
  receivers("cross-border", [a.storage.crossBorder, b.storage.crossBorder], (x) => x.recipient, {
    label: { "zh-CN": "境外接收方", en: "Overseas recipient" },
    added: (x) => ({ "zh-CN": `新增向境外提供个人信息：${spoken(x.recipient, "zh-CN")}（${spoken(x.country, "zh-CN")}）`, en: `Personal information is now provided outside mainland China to ${spoken(x.recipient, "en")} (${spoken(x.country, "en")})` }),
    removed: (x) => ({ "zh-CN": `不再向境外接收方${spoken(x.recipient, "zh-CN")}提供个人信息`, en: `We no longer provide personal information to the overseas recipient ${spoken(x.recipient, "en")}` }),
  }, (was, now) => {
    if (!sameText(was.country, now.country)) add("cross-border", "changed", true, `境外接收方${spoken(now.recipient, "zh-CN")}所在国家或地区变更为${spoken(now.country, "zh-CN")}`, `The overseas recipient ${spoken(now.recipient, "en")} is now in ${spoken(now.country, "en")}`);
  });
  if (!sameText(a.storage.location, b.storage.location)) add("storage", "changed", true, `个人信息存储地点变更为${spoken(b.storage.location, "zh-CN")}`, `Personal information is now stored ${spoken(b.storage.location, "en")}`);
  if (a.retention.afterClosureDays !== b.retention.afterClosureDays)
    add("retention", "changed", b.retention.afterClosureDays > a.retention.afterClosureDays, `注销账户后删除个人信息的期限由${a.retention.afterClosureDays}个工作日变更为${b.retention.afterClosureDays}个工作日`, `After an account is closed, personal information is now deleted within ${b.retention.afterClosureDays} working days (was ${a.retention.afterClosureDays})`);
  if (a.retention.logMonths !== b.retention.logMonths)
    add("retention", "changed", b.retention.logMonths > a.retention.logMonths, `日志信息保存期限由${a.retention.logMonths}个月变更为${b.retention.logMonths}个月`, `Log information is now kept for ${b.retention.logMonths} months (was ${a.retention.logMonths})`);
  if (a.contact.responseDays !== b.contact.responseDays)
    add("rights", "changed", b.contact.responseDays > a.contact.responseDays, `答复您请求的期限由${a.contact.responseDays}个工作日变更为${b.contact.responseDays}个工作日`, `We now answer requests within ${b.contact.responseDays} working days (was ${a.contact.responseDays})`);
  for (const [field, zh, en] of [["email", "联系邮箱", "contact email"], ["phone", "联系电话", "contact telephone number"]] as const)
    if (a.contact[field] !== b.contact[field])
      add("contact", b.contact[field] ? (a.contact[field] ? "changed" : "added") : "removed", false, b.contact[field] ? `${zh}变更为 ${b.contact[field]}` : `不再提供${zh}`, b.contact[field] ? `Our ${en} is now ${b.contact[field]}` : `We no longer give a ${en}`);
  const widening: [keyof Profile["features"], string, string][] = [
    ["marketing", "向您发送营销信息", "send you marketing messages"],
    ["personalisedAds", "提供个性化广告", "show personalised advertising"],
    ["automatedDecisions", "利用个人信息进行自动化决策", "use personal information for automated decision-making"],
    ["faceData", "处理人脸等生物识别信息", "process facial and other biometric information"],
    ["preciseLocation", "收集精确位置信息", "collect precise location information"],
    ["idNumbers", "收集身份证件号码", "collect identity document numbers"],
    ["bankCards", "收集银行卡号", "collect bank card numbers"],
  ];
  for (const [flag, zh, en] of widening) {
    if (!a.features[flag] && b.features[flag]) add("features", "added", true, `我们将${zh}`, `We will now ${en}`);
    if (a.features[flag] && !b.features[flag]) add("features", "removed", false, `我们不再${zh}`, `We no longer ${en}`);
  }
  return out;
}

/** Items of `b` not in `a` (added), of `a` not in `b` (removed), and each pair in both (to compare). */
function listChanges<T>(a: T[], b: T[], same: (x: T, y: T) => boolean, report: (x: T, kind: "added" | "removed") => void, compare?: (was: T, now: T) => void) {
  for (const x of b) {
    const was = a.find((y) => same(x, y));
    if (!was) report(x, "added");
    else compare?.(was, x);
  }
  for (const x of a) if (!b.some((y) => same(x, y))) report(x, "removed");
}
