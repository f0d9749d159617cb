import type { PolicyDocument } from "../render/document.js";
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
  const clauses = before ? clauseChanges(flatten(before.documents), flatten(after.documents)) : [];
  const facts = before ? factChanges(before.profile, after.profile) : [];
  const rightsRemoved = clauses.some((c) => c.kind === "removed" && c.section.from === "rights");
  const material = facts.some((f) => f.material) || rightsRemoved;
  const added = clauses.some((c) => c.kind === "added") || facts.some((f) => f.kind === "added");
  const unchanged = before !== null && clauses.length === 0 && facts.length === 0;
  return { from: before?.version ?? null, to: after.version, clauses, facts, material, bump: material ? "major" : added ? "minor" : "patch", unchanged };
}

function clauseChanges(before: FlatClause[], after: FlatClause[]): ClauseChange[] {
  const old = new Map(before.map((c) => [c.id, c]));
  const now = new Map(after.map((c) => [c.id, c]));
  const changes: ClauseChange[] = [];
  const keptOrder = longestCommonOrder(before.map((c) => c.id).filter((id) => now.has(id)), after.map((c) => c.id).filter((id) => old.has(id)));
  for (const c of after) {
    const was = old.get(c.id);
    if (!was) changes.push({ kind: "added", id: c.id, title: c.title, section: { to: c.section } });
    else {
      if (!sameButDates(was.text["zh-CN"], c.text["zh-CN"]) || !sameButDates(was.text.en, c.text.en))
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

// Every release carries new dates (the effective-date line): a clause that differs only in its dates
// has not changed in substance, and the notice already gives the new effective date.
const DATES = /\d{4}年\d{1,2}月\d{1,2}日|(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}/g;
const sameButDates = (a: string, b: string) => a === b || a.replace(DATES, "DATE") === b.replace(DATES, "DATE");

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

const both = (v: string | { "zh-CN": string; en: string }): Bilingual => ({ "zh-CN": pick(v, "zh-CN"), en: pick(v, "en") });
const keyOf = (v: string | { "zh-CN": string; en: string }) => pick(v, "zh-CN");

/** Profile facts that changed, said in plain words in both languages. */
function factChanges(a: Profile, b: Profile): FactChange[] {
  const out: FactChange[] = [];
  const add = (area: FactArea, kind: FactChange["kind"], material: boolean, zh: string, en: string) => out.push({ area, kind, material, text: { "zh-CN": zh, en } });

  const scenarios = new Map(a.collection.map((s) => [keyOf(s.scenario), s]));
  for (const s of b.collection) {
    const was = scenarios.get(keyOf(s.scenario));
    const name = both(s.scenario);
    if (!was) {
      add("collection", "added", true, `新增业务场景“${name["zh-CN"]}”，收集${s.items.map((i) => pick(i, "zh-CN")).join("、")}，用于${pick(s.purpose, "zh-CN")}`, `New scenario "${name.en}": we collect ${s.items.map((i) => pick(i, "en")).join(", ")} ${pick(s.purpose, "en")}`);
      continue;
    }
    const before = new Set(was.items.map(keyOf));
    const after = new Set(s.items.map(keyOf));
    const added = s.items.filter((i) => !before.has(keyOf(i)));
    const removed = was.items.filter((i) => !after.has(keyOf(i)));
    if (added.length) add("collection", "added", true, `“${name["zh-CN"]}”场景新增收集：${added.map((i) => pick(i, "zh-CN")).join("、")}`, `"${name.en}" now also collects: ${added.map((i) => pick(i, "en")).join(", ")}`);
    if (removed.length) add("collection", "removed", false, `“${name["zh-CN"]}”场景不再收集：${removed.map((i) => pick(i, "zh-CN")).join("、")}`, `"${name.en}" no longer collects: ${removed.map((i) => pick(i, "en")).join(", ")}`);
    if (keyOf(was.purpose) !== keyOf(s.purpose)) add("purposes", "changed", true, `“${name["zh-CN"]}”场景的使用目的变更为：${pick(s.purpose, "zh-CN")}`, `The purpose of "${name.en}" is now: ${pick(s.purpose, "en")}`);
    if (!was.sensitive && s.sensitive) add("collection", "changed", true, `“${name["zh-CN"]}”场景现涉及敏感个人信息`, `"${name.en}" now involves sensitive personal information`);
  }
  for (const s of a.collection)
    if (!b.collection.some((x) => keyOf(x.scenario) === keyOf(s.scenario))) add("collection", "removed", false, `不再有业务场景“${pick(s.scenario, "zh-CN")}”`, `Scenario "${pick(s.scenario, "en")}" is gone`);

  listChanges(a.sdks, b.sdks, (x) => keyOf(x.name), (x, kind) =>
    kind === "added"
      ? add("sdks", "added", true, `新增第三方 SDK：${pick(x.name, "zh-CN")}（${pick(x.provider, "zh-CN")}），用于${pick(x.purpose, "zh-CN")}`, `New third-party SDK: ${pick(x.name, "en")} (${pick(x.provider, "en")}), ${pick(x.purpose, "en")}`)
      : add("sdks", "removed", false, `不再使用第三方 SDK：${pick(x.name, "zh-CN")}`, `Third-party SDK no longer used: ${pick(x.name, "en")}`),
  );
  listChanges(a.recipients, b.recipients, (x) => keyOf(x.name), (x, kind) =>
    kind === "added"
      ? add("recipients", "added", true, `新增个人信息接收方：${pick(x.name, "zh-CN")}，用于${pick(x.purpose, "zh-CN")}`, `New recipient of personal information: ${pick(x.name, "en")}, ${pick(x.purpose, "en")}`)
      : add("recipients", "removed", false, `不再向${pick(x.name, "zh-CN")}提供个人信息`, `We no longer provide personal information to ${pick(x.name, "en")}`),
  );
  listChanges(a.storage.crossBorder, b.storage.crossBorder, (x) => keyOf(x.recipient), (x, kind) =>
    kind === "added"
      ? add("cross-border", "added", true, `新增向境外提供个人信息：${pick(x.recipient, "zh-CN")}（${pick(x.country, "zh-CN")}）`, `Personal information is now provided outside mainland China to ${pick(x.recipient, "en")} (${pick(x.country, "en")})`)
      : add("cross-border", "removed", false, `不再向境外接收方${pick(x.recipient, "zh-CN")}提供个人信息`, `We no longer provide personal information to the overseas recipient ${pick(x.recipient, "en")}`),
  );
  if (keyOf(a.storage.location) !== keyOf(b.storage.location)) add("storage", "changed", true, `个人信息存储地点变更为${pick(b.storage.location, "zh-CN")}`, `Personal information is now stored ${pick(b.storage.location, "en")}`);
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

function listChanges<T>(a: T[], b: T[], key: (x: T) => string, report: (x: T, kind: "added" | "removed") => void) {
  const before = new Set(a.map(key));
  const after = new Set(b.map(key));
  for (const x of b) if (!before.has(key(x))) report(x, "added");
  for (const x of a) if (!after.has(key(x))) report(x, "removed");
}
