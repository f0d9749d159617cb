import { z } from "zod";
import { ASSETS_FOLDER } from "../paths.js";
import { localizedSchema, localeSchema } from "./localized.js";
import { daysSchema, emailSchema, isoDateSchema, phoneSchema, webUrlSchema } from "./primitives.js";

const L = localizedSchema;
const yes = (d: boolean) => z.boolean().default(d);

export const companySchema = z.strictObject({
  name: L.describe("Full legal name, e.g. { zh-CN: 示例云科技（深圳）有限公司, en: Example Cloud Technology (Shenzhen) Co., Ltd. }"),
  shortName: L.describe("How the policy names the company after the first mention, e.g. 示例云 / Example Cloud"),
  address: L.describe("Registered address"),
  officeAddress: L.optional().describe("Office or mailing address, if different from the registered one"),
  postcode: z.string().regex(/^[0-9A-Za-z -]{3,10}$/).optional(),
  website: webUrlSchema.describe("The company's main website"),
  otherWebsites: z.array(webUrlSchema).default([]),
  creditCode: z.string().regex(/^[0-9A-Z]{18}$/, "must be the 18-character unified social credit code").optional(),
  affiliates: L.optional().describe("Affiliates or group companies that may share information, named or described"),
  outsideChina: z.boolean().default(false).describe("The handler is established outside mainland China and processes personal information of people in China (PIPL Arts. 3(2) and 53): name its representative in China in contact.domesticRepresentative"),
});

export const serviceSchema = z.strictObject({
  name: L,
  description: L.optional(),
});

export const productSchema = z.strictObject({
  name: L.describe("How the policy names the services collectively, e.g. 示例云服务 / Example Cloud services"),
  website: L.optional().describe("The name of the website or platform where the services are offered, e.g. 示例云官网 / the Example Cloud website"),
  services: z.array(serviceSchema).default([]).describe("Products and services the policy covers"),
  sdkName: L.optional().describe("Name of the SDK enterprise customers embed, if any"),
  appName: L.optional().describe("Name of the mobile or desktop app, if any"),
  deviceName: L.optional().describe("Name of the hardware devices, if any"),
  marketplace: L.optional().describe("Name of a marketplace where third-party sellers offer services, if any"),
  sdkPolicyUrl: webUrlSchema.optional().describe("Link to a separate SDK privacy policy for end users, if any"),
});

export const kindsSchema = z
  .strictObject({
    website: yes(true).describe("A public website"),
    app: yes(false).describe("A mobile app (the MIIT app rules apply)"),
    cloud: yes(false).describe("Cloud services customers use through a console or API"),
    sdk: yes(false).describe("An SDK that enterprise customers embed in their own products"),
    saas: yes(false).describe("A SaaS platform"),
    hardware: yes(false).describe("Physical devices that connect to the service"),
    enterpriseCustomers: yes(false).describe("Businesses are customers and process their own end users' data through the service (you act as entrusted party)"),
  })
  .default({ website: true, app: false, cloud: false, sdk: false, saas: false, hardware: false, enterpriseCustomers: false });

export const policySchema = z.strictObject({
  title: L.default({ "zh-CN": "隐私政策", en: "Privacy Policy" }),
  shortName: L.default({ "zh-CN": "本政策", en: "this Policy" }).describe("How the policy refers to itself in running text"),
  effectiveDate: isoDateSchema,
  updatedDate: isoDateSchema.optional().describe("Last updated; defaults to the effective date"),
  publishedDate: isoDateSchema.optional(),
  firstPublishedDate: isoDateSchema.optional(),
  url: webUrlSchema.optional().describe("Where the policy is published"),
  controllingLanguage: localeSchema.default("zh-CN").describe("The version that prevails if the two languages differ"),
  noticeDays: daysSchema.default(7).describe("How many days before a material change takes effect users are told"),
});

export const officerSchema = z.strictObject({
  name: L.optional(),
  email: emailSchema.optional(),
  phone: phoneSchema.optional(),
  required: z.boolean().default(false).describe("PIPL Art. 52: you process enough personal information that an officer is required"),
});

export const contactSchema = z.strictObject({
  email: emailSchema.describe("Where people send privacy requests"),
  phone: phoneSchema.optional(),
  address: L.optional().describe("Postal address for privacy requests; defaults to the company address"),
  department: L.optional().describe("The team that handles requests, e.g. 法务部 / Legal Department"),
  url: webUrlSchema.optional().describe("A web page with contact details or a contact form"),
  channels: z.array(L).default([]).describe("Other channels, e.g. online customer service, support tickets"),
  officer: officerSchema.optional().describe("Personal information protection officer"),
  domesticRepresentative: L.optional().describe("PIPL Art. 53: for handlers outside China, the representative in China"),
  responseDays: daysSchema.default(15).describe("Working days within which requests are answered"),
});

export const collectionItemSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase words joined by dashes, e.g. registration").optional().describe("A name clauses use to refer to this scenario: {{items \"registration\"}}"),
  scenario: L.describe("The business scenario, e.g. 注册与登录 / Sign-up and sign-in"),
  items: z.array(L).min(1, "must list at least one data item").describe("The data items collected"),
  purpose: L,
  required: z.boolean().default(true).describe("Needed for the core service (false: optional, for an extra feature)"),
  sensitive: z.boolean().default(false).describe("Contains sensitive personal information (PIPL Art. 28)"),
  role: z.enum(["handler", "entrusted"]).default("handler").describe("handler: you decide the purpose; entrusted: you process on an enterprise customer's behalf"),
});

export const sdkSchema = z.strictObject({
  name: L,
  provider: L.describe("The company behind the SDK"),
  purpose: L,
  data: z.array(L).min(1),
  policyUrl: webUrlSchema.describe("Link to the SDK provider's privacy policy"),
});

export const recipientSchema = z.strictObject({
  name: L,
  contact: z.string().min(1).optional(),
  purpose: L,
  method: L.optional().describe("How it is provided, e.g. by API"),
  data: z.array(L).min(1),
});

export const crossBorderSchema = z.strictObject({
  recipient: L,
  country: L,
  contact: z.string().min(1).describe("How to reach the overseas recipient (email or address)"),
  purpose: L,
  method: L.optional(),
  data: z.array(L).min(1),
});

export const storageSchema = z.strictObject({
  location: L.default({ "zh-CN": "中华人民共和国境内", en: "within the People’s Republic of China" }),
  crossBorder: z.array(crossBorderSchema).default([]),
});

export const retentionSchema = z.strictObject({
  afterClosureDays: daysSchema.default(15).describe("Working days within which information is deleted or anonymised after the account is closed"),
  logMonths: z.int().min(1).max(120).default(6).describe("Months log information is kept (the Cybersecurity Law asks for at least 6)"),
  period: L.optional().describe("A general retention statement, if the default wording does not fit"),
});

export const childrenSchema = z.strictObject({
  ageThreshold: z.int().min(13).max(18).default(14).describe("Under this age a user is a child (PIPL: 14)"),
  minorAge: z.int().min(14).max(21).default(18),
  directed: z.boolean().default(false).describe("The service is meant for children"),
  deletionDays: daysSchema.default(15).describe("Working days within which children's information collected without verifiable guardian consent is deleted"),
});

export const securitySchema = z.strictObject({
  certifications: z.array(L).default([]).describe("e.g. ISO/IEC 27001, ISO/IEC 27701"),
  mlpsLevel: z.int().min(1).max(5).optional().describe("Multi-Level Protection Scheme level assessed and filed"),
});

export const featuresSchema = z
  .strictObject({
    cookies: yes(true),
    marketing: yes(false).describe("Marketing emails or messages"),
    personalisedAds: yes(false),
    automatedDecisions: yes(false),
    thirdPartyLogin: yes(false),
    realNameVerification: yes(false),
    faceData: yes(false).describe("Facial or other biometric information"),
    idNumbers: yes(false).describe("Identity card or passport numbers"),
    bankCards: yes(false),
    preciseLocation: yes(false),
    payments: yes(false),
    invoices: yes(false),
    supportTickets: yes(true),
    jobApplicants: yes(false),
  })
  .default({
    cookies: true, marketing: false, personalisedAds: false, automatedDecisions: false, thirdPartyLogin: false,
    realNameVerification: false, faceData: false, idNumbers: false, bankCards: false, preciseLocation: false,
    payments: false, invoices: false, supportTickets: true, jobApplicants: false,
  });

export const lawSchema = z.strictObject({
  governingLaw: L.default({ "zh-CN": "中华人民共和国法律", en: "the laws of the People’s Republic of China" }),
  court: L.default({ "zh-CN": "被告住所地有管辖权的人民法院", en: "a people’s court with jurisdiction where the defendant is domiciled" }),
  arbitration: L.optional(),
  servesEu: z.boolean().default(false).describe("The company offers services to people in the EU (GDPR Art. 13 applies)"),
});

const clauseRefSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]*(:[a-z0-9-]+)?$/, "must be a clause id such as retention.period or retention.period:detailed");

export const clauseOverridesSchema = z.strictObject({
  remove: z.array(clauseRefSchema).default([]).describe("Clause ids to leave out"),
  add: z
    .array(z.strictObject({ clause: clauseRefSchema, section: z.string().min(1), after: clauseRefSchema.optional() }))
    .default([])
    .describe("Clauses to add to a section, at its end or after a given clause"),
  variants: z.record(z.string(), z.string().regex(/^[a-z0-9-]+$/)).default({}).describe("Clause id -> variant to use instead of the clause set's choice"),
  dirs: z.array(z.string().min(1)).default([]).describe("Folders of your own clauses and clause sets, relative to this profile"),
});

/**
 * Why a slug cannot name a profile's folder in the output, or undefined. ASSETS_FOLDER is the folder the
 * profiles share; Windows has no folder named as a device (con,
 * nul, com1...), so a site holding one could not be copied, checked out or served there.
 */
export function reservedSlug(slug: string): string | undefined {
  if (slug === ASSETS_FOLDER) return "names the folder of the stylesheet and fonts every profile shares";
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/.test(slug)) return `is a device name on Windows: a folder named "${slug}" cannot be made or copied there`;
  return undefined;
}

export const profileSchema = z.strictObject({
  $schema: z.string().optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes, e.g. acme-cloud")
    .superRefine((slug, ctx) => {
      const reserved = reservedSlug(slug);
      if (reserved) ctx.addIssue({ code: "custom", message: `must not be "${slug}": it ${reserved}` });
    })
    .optional()
    .describe("The folder of this profile's pages in the output; default: the profile's file name (its folder's for profile.yaml), else the company's English short name"),
  company: companySchema,
  product: productSchema,
  kinds: kindsSchema,
  policy: policySchema,
  contact: contactSchema,
  clauseSet: z.string().regex(/^[a-z0-9-]+$/).default("startup-default"),
  clauses: clauseOverridesSchema.default({ remove: [], add: [], variants: {}, dirs: [] }),
  collection: z.array(collectionItemSchema).min(1, "must list at least one scenario: a policy must say what it collects"),
  sdks: z.array(sdkSchema).default([]),
  recipients: z.array(recipientSchema).default([]).describe("Other personal information handlers you provide information to (PIPL Art. 23)"),
  storage: storageSchema.default({ location: { "zh-CN": "中华人民共和国境内", en: "within the People’s Republic of China" }, crossBorder: [] }),
  retention: retentionSchema.default({ afterClosureDays: 15, logMonths: 6 }),
  children: childrenSchema.default({ ageThreshold: 14, minorAge: 18, directed: false, deletionDays: 15 }),
  security: securitySchema.default({ certifications: [] }),
  features: featuresSchema,
  law: lawSchema.default({
    governingLaw: { "zh-CN": "中华人民共和国法律", en: "the laws of the People’s Republic of China" },
    court: { "zh-CN": "被告住所地有管辖权的人民法院", en: "a people’s court with jurisdiction where the defendant is domiciled" },
    servesEu: false,
  }),
});

/** A profile as written in profile.yaml (defaults not yet applied). */
export type ProfileInput = z.input<typeof profileSchema>;
/** A validated profile with every default applied. */
export type Profile = z.infer<typeof profileSchema>;

/** Identity helper so a profile written in TypeScript is type-checked and autocompleted. */
export const defineProfile = (profile: ProfileInput): ProfileInput => profile;
