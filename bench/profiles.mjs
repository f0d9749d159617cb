// Generates N varied, valid profile.yaml files for the benchmark (bench/run.mjs) from the bundled
// examples: examples/acme/profile.yaml and examples/sources/*/profile.yaml.
//
// Each profile takes one example as its base and varies the company (names, slug, domains, address),
// the collection scenarios and their items, the SDKs, the feature flags, the kinds of service and the
// clause set (one of the six bundled ones). The same seed gives the same profiles, byte for byte.
//
//   node bench/profiles.mjs [--profiles N] [--out DIR] [--seed S]
//
// Each profile is written to DIR/<slug>/profile.yaml. Nothing else is copied: the examples use no
// clauses.dirs (any would be dropped), and versions/ (the acme example's release history, relative to
// the profile's folder) is left out, so every generated profile builds as a draft.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Document, isScalar, parse, visit } from "yaml";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const EXAMPLES = ["examples/acme/profile.yaml", ...["creality", "faceunity", "ppio", "ruiyun", "zego"].map((s) => `examples/sources/${s}/profile.yaml`)];
export const CLAUSE_SETS = ["startup-default", "cloud-platform", "edge-cloud-sdk", "developer-rtc-cloud", "consumer-hardware-cloud", "ar-sdk-website"];

/** mulberry32: a small, fast PRNG; the same seed gives the same sequence on every machine. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const chance = (p) => next() < p;
  /** k distinct elements, in their original order. */
  const sample = (xs, k) => {
    const idx = xs.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, Math.min(k, xs.length)).sort((x, y) => x - y).map((i) => xs[i]);
  };
  return { next, int, pick, chance, sample };
}

// Name parts: a brand (zh, en, ascii for the slug), a line of business and a city.
const BRANDS = [
  ["星河", "Galaxy", "galaxy"], ["云帆", "Cloudsail", "cloudsail"], ["青松", "Greenpine", "greenpine"], ["极光", "Aurora", "aurora"],
  ["蓝鲸", "Bluewhale", "bluewhale"], ["赤兔", "Redhare", "redhare"], ["远图", "Fartu", "fartu"], ["微澜", "Ripple", "ripple"],
  ["知行", "Zhixing", "zhixing"], ["天穹", "Skydome", "skydome"], ["墨竹", "Inkbamboo", "inkbamboo"], ["海纳", "Haina", "haina"],
  ["锐思", "Ruisi", "ruisi"], ["橙子", "Orange", "orange"], ["雪峰", "Snowpeak", "snowpeak"], ["木兰", "Mulan", "mulan"],
  ["北辰", "Polaris", "polaris"], ["长风", "Longwind", "longwind"], ["灵犀", "Lingxi", "lingxi"], ["朗月", "Brightmoon", "brightmoon"],
];
const TRADES = [
  ["云计算", "Cloud Computing", "cloud", "云服务", "Cloud services", "云控制台", "console"],
  ["网络科技", "Network Technology", "net", "在线平台", "online platform", "官网", "website"],
  ["智能硬件", "Smart Hardware", "hw", "智能设备", "smart devices", "商城", "store"],
  ["信息技术", "Information Technology", "it", "企业服务", "enterprise services", "门户网站", "portal"],
  ["音视频技术", "Audio and Video Technology", "rtc", "实时音视频服务", "real-time audio and video services", "开发者中心", "developer centre"],
  ["数据科技", "Data Technology", "data", "数据平台", "data platform", "数据平台官网", "data platform website"],
  ["互动娱乐", "Interactive Entertainment", "fun", "互动社区", "interactive community", "社区官网", "community website"],
  ["视觉科技", "Vision Technology", "ar", "AR 特效服务", "AR effects services", "开放平台", "open platform"],
];
const CITIES = [
  ["北京", "Beijing", "北京市海淀区中关村大街", "Zhongguancun Street, Haidian District, Beijing", "100080"],
  ["上海", "Shanghai", "上海市浦东新区张江路", "Zhangjiang Road, Pudong New Area, Shanghai", "201203"],
  ["深圳", "Shenzhen", "广东省深圳市南山区科技园路", "Science Park Road, Nanshan District, Shenzhen, Guangdong", "518057"],
  ["杭州", "Hangzhou", "浙江省杭州市余杭区文一西路", "Wenyi West Road, Yuhang District, Hangzhou, Zhejiang", "311121"],
  ["成都", "Chengdu", "四川省成都市高新区天府大道", "Tianfu Avenue, High-tech Zone, Chengdu, Sichuan", "610041"],
  ["南京", "Nanjing", "江苏省南京市鼓楼区中山北路", "Zhongshan North Road, Gulou District, Nanjing, Jiangsu", "210008"],
  ["武汉", "Wuhan", "湖北省武汉市洪山区光谷大道", "Optics Valley Avenue, Hongshan District, Wuhan, Hubei", "430074"],
  ["广州", "Guangzhou", "广东省广州市天河区天河路", "Tianhe Road, Tianhe District, Guangzhou, Guangdong", "510620"],
];

// Further services a profile may list, after its main one (zh, en), each prefixed with the brand.
const SERVICES = [["开放接口", "API"], ["控制台", "Console"], ["移动应用", "mobile app"], ["数据分析", "Analytics"], ["客户支持中心", "Support Centre"], ["开发者社区", "Developer Community"]];

// SDKs a profile may declare (real SDKs; the providers' policy pages).
const SDKS = [
  { name: { "zh-CN": "个推推送 SDK", en: "Getui Push SDK" }, provider: { "zh-CN": "每日互动股份有限公司", en: "Daily Interactive Co., Ltd." }, purpose: { "zh-CN": "向 App 推送通知", en: "to send notifications to the app" }, data: [{ "zh-CN": "设备标识符", en: "device identifiers" }, { "zh-CN": "网络类型", en: "network type" }], policyUrl: "https://docs.getui.com/privacy" },
  { name: { "zh-CN": "友盟+ 统计分析 SDK", en: "Umeng+ Analytics SDK" }, provider: { "zh-CN": "友盟同欣（北京）科技有限公司", en: "Umeng Tongxin (Beijing) Technology Co., Ltd." }, purpose: { "zh-CN": "统计 App 使用情况", en: "to measure how the app is used" }, data: [{ "zh-CN": "设备信息", en: "device information" }, { "zh-CN": "应用使用记录", en: "app usage records" }], policyUrl: "https://www.umeng.com/page/policy" },
  { name: { "zh-CN": "高德定位 SDK", en: "AMap Location SDK" }, provider: { "zh-CN": "高德软件有限公司", en: "AutoNavi Software Co., Ltd." }, purpose: { "zh-CN": "提供定位服务", en: "to provide location services" }, data: [{ "zh-CN": "位置信息", en: "location information" }, { "zh-CN": "Wi-Fi 信息", en: "Wi-Fi information" }], policyUrl: "https://lbs.amap.com/pages/privacy/" },
  { name: { "zh-CN": "微信开放平台 SDK", en: "WeChat Open Platform SDK" }, provider: { "zh-CN": "深圳市腾讯计算机系统有限公司", en: "Shenzhen Tencent Computer Systems Co., Ltd." }, purpose: { "zh-CN": "支持微信登录与分享", en: "to support signing in with and sharing to WeChat" }, data: [{ "zh-CN": "设备标识符", en: "device identifiers" }], policyUrl: "https://weixin.qq.com/cgi-bin/readtemplate?lang=zh_CN&t=weixin_agreement&s=privacy" },
  { name: { "zh-CN": "支付宝 SDK", en: "Alipay SDK" }, provider: { "zh-CN": "支付宝（中国）网络技术有限公司", en: "Alipay (China) Network Technology Co., Ltd." }, purpose: { "zh-CN": "完成支付", en: "to complete payments" }, data: [{ "zh-CN": "设备信息", en: "device information" }, { "zh-CN": "网络信息", en: "network information" }], policyUrl: "https://render.alipay.com/p/c/k2cx0tg8" },
  { name: { "zh-CN": "腾讯 Bugly SDK", en: "Tencent Bugly SDK" }, provider: { "zh-CN": "深圳市腾讯计算机系统有限公司", en: "Shenzhen Tencent Computer Systems Co., Ltd." }, purpose: { "zh-CN": "收集崩溃信息以修复问题", en: "to collect crash reports and fix problems" }, data: [{ "zh-CN": "设备型号", en: "device model" }, { "zh-CN": "系统版本", en: "system version" }, { "zh-CN": "崩溃日志", en: "crash logs" }], policyUrl: "https://privacy.qq.com/document/preview/fc748b3d96224fdb825ea79e132c1a56" },
];

const FEATURES = ["cookies", "marketing", "personalisedAds", "automatedDecisions", "thirdPartyLogin", "realNameVerification", "faceData", "idNumbers", "bankCards", "preciseLocation", "payments", "invoices", "supportTickets", "jobApplicants"];

/** The example profiles, parsed (once per process). */
let basesCache;
export async function loadBases(root = ROOT) {
  basesCache ??= await Promise.all(EXAMPLES.map(async (p) => parse(await readFile(join(root, p), "utf8"))));
  return basesCache;
}

/** One generated profile (a plain object) for index i. */
export function makeProfile(bases, i, rnd) {
  const base = structuredClone(rnd.pick(bases));
  const [bz, be, bslug] = rnd.pick(BRANDS);
  const [tz, te, tslug, pz, pe, wz, we] = rnd.pick(TRADES);
  const [cz, ce, az, ae, postcode] = rnd.pick(CITIES);
  // unique by construction: the index is part of the slug
  const slug = `${bslug}-${tslug}-${String(i + 1).padStart(4, "0")}`;
  const domain = `${slug}.example`;
  const no = rnd.int(1, 999);
  const p = base;
  delete p.$schema;
  p.slug = slug;
  p.company = {
    name: { "zh-CN": `${bz}${tz}（${cz}）有限公司`, en: `${be} ${te} (${ce}) Co., Ltd.` },
    shortName: { "zh-CN": bz, en: be },
    address: { "zh-CN": `${az} ${no} 号`, en: `No. ${no}, ${ae}, China` },
    postcode,
    website: `https://www.${domain}`,
    ...(rnd.chance(0.3) ? { otherWebsites: [`https://cloud.${domain}`] } : {}),
  };
  // every product name a clause set may print is set, so any clause set can be used with any base
  p.product = {
    name: { "zh-CN": `${bz}${pz}`, en: `the ${be} ${pe}` },
    website: { "zh-CN": `${bz}${wz}`, en: `the ${be} ${we}` },
    services: [
      { name: { "zh-CN": `${bz}${pz}`, en: `${be} ${pe}` }, description: { "zh-CN": `${bz}的核心${pz}`, en: `the core ${pe} of ${be}` } },
      ...rnd.sample(SERVICES, rnd.int(0, 3)).map(([z, e]) => ({ name: { "zh-CN": `${bz}${z}`, en: `${be} ${e}` } })),
    ],
    sdkName: { "zh-CN": `${bz} SDK`, en: `the ${be} SDK` },
    appName: { "zh-CN": `${bz} App`, en: `the ${be} app` },
    deviceName: { "zh-CN": `${bz}智能设备`, en: `${be} devices` },
    marketplace: { "zh-CN": `${bz}云市场`, en: `the ${be} Marketplace` },
    ...(rnd.chance(0.5) ? { sdkPolicyUrl: `https://www.${domain}/sdk-privacy` } : {}),
  };
  p.kinds = { website: true, app: rnd.chance(0.5), cloud: rnd.chance(0.6), sdk: rnd.chance(0.4), saas: rnd.chance(0.3), hardware: rnd.chance(0.2), enterpriseCustomers: rnd.chance(0.5) };
  const year = rnd.int(2024, 2026);
  p.policy = {
    ...(rnd.chance(0.2) ? { title: { "zh-CN": "隐私声明", en: "Privacy Statement" }, shortName: { "zh-CN": "本声明", en: "this Statement" } } : {}),
    effectiveDate: `${year}-${String(rnd.int(1, 12)).padStart(2, "0")}-${String(rnd.int(1, 28)).padStart(2, "0")}`,
    url: `https://www.${domain}/privacy`,
  };
  p.contact = {
    email: `privacy@${domain}`,
    ...(rnd.chance(0.6) ? { phone: `+86 ${rnd.int(10, 999)} ${rnd.int(1000, 9999)} ${rnd.int(1000, 9999)}` } : {}),
    ...(rnd.chance(0.5) ? { department: rnd.pick([{ "zh-CN": "法务部", en: "Legal Department" }, { "zh-CN": "数据合规部", en: "Data Compliance Department" }]) } : {}),
    ...(rnd.chance(0.5) ? { channels: [{ "zh-CN": "在线客服", en: "online customer service" }] } : {}),
    ...(rnd.chance(0.4) ? { officer: { name: { "zh-CN": "个人信息保护负责人", en: "Personal Information Protection Officer" }, email: `dpo@${domain}` } } : {}),
    responseDays: rnd.pick([10, 15, 15, 15, 30]),
  };
  // scenarios: from the base and one other example, each keeping a random subset of its items
  const pool = [...(base.collection ?? []), ...rnd.pick(bases).collection];
  p.collection = rnd.sample(pool, rnd.int(2, Math.min(8, pool.length))).map((s) => {
    const c = structuredClone(s);
    delete c.key;
    c.items = rnd.sample(c.items, rnd.int(1, c.items.length));
    return c;
  });
  p.sdks = rnd.sample(SDKS, rnd.int(0, 3));
  p.features = Object.fromEntries(FEATURES.map((f) => [f, rnd.chance(f === "cookies" || f === "supportTickets" ? 0.8 : 0.3)]));
  if (rnd.chance(0.3)) p.retention = { afterClosureDays: rnd.pick([7, 15, 30]), logMonths: rnd.pick([6, 12]) };
  if (rnd.chance(0.3)) p.security = { certifications: ["ISO/IEC 27001"], mlpsLevel: rnd.pick([2, 3]) };
  const clauseSet = rnd.pick(CLAUSE_SETS);
  // the base's own clause overrides fit its own clause set only; clauses.dirs (relative to the
  // example's folder) would not resolve from the generated profile's folder, so they are never kept
  const overrides = clauseSet === (base.clauseSet ?? "startup-default") ? base.clauses : undefined;
  p.clauseSet = clauseSet;
  if (overrides) {
    const { dirs: _dirs, ...rest } = overrides;
    p.clauses = rest;
  } else delete p.clauses;
  return p;
}

/** YAML as the examples write it: a `{ zh-CN: ..., en: ... }` pair on one line, the rest in block style. */
export function toYaml(profile) {
  const doc = new Document(profile);
  visit(doc, {
    Map(_, node) {
      const keys = node.items.map((p) => (isScalar(p.key) ? p.key.value : undefined));
      if (keys.length && keys.every((k) => k === "zh-CN" || k === "en")) node.flow = true;
      // a short mapping of flags or numbers fits on one line too
      else if (node.items.every((p) => isScalar(p.value) && typeof p.value.value !== "string")) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/**
 * Writes `count` profiles into `dir` (DIR/<slug>/profile.yaml) and returns their paths, in order.
 * The same seed and count give the same files.
 */
export async function generateProfiles({ count = 200, dir, seed = 20261201, root = ROOT } = {}) {
  if (!dir) throw new Error("generateProfiles: dir is required");
  const bases = await loadBases(root);
  const rnd = prng(seed);
  const paths = [];
  for (let i = 0; i < count; i++) {
    const profile = makeProfile(bases, i, rnd);
    const folder = join(dir, profile.slug);
    await mkdir(folder, { recursive: true });
    const path = join(folder, "profile.yaml");
    await writeFile(path, `# generated by bench/profiles.mjs (profile ${i + 1} of ${count})\n` + toYaml(profile));
    paths.push(path);
  }
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, d) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : d;
  };
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const dir = arg("--out") ? resolve(arg("--out")) : await mkdtemp(join(tmpdir(), "policypress-bench-profiles-"));
  const paths = await generateProfiles({ count: Number(arg("--profiles", 200)), dir, seed: Number(arg("--seed", 20261201)) });
  console.log(`${paths.length} profiles in ${dir}`);
}
