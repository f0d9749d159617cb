import { describe, expect, it } from "vitest";
import { answerProblem, mailDomainOf, slugFromName } from "../../src/cli/init.js";
import { emailSchema, webUrlSchema } from "../../src/schema/primitives.js";

describe("init's defaults are answers its own questions accept", () => {
  it("offers a privacy address at a Chinese domain name that the email question takes", () => {
    for (const website of ["https://www.例子.中国/p", "https://示例.中国", "https://www.example.com:8443/legal"]) {
      expect(webUrlSchema.safeParse(website).success, website).toBe(true);
      const email = `privacy@${mailDomainOf(website)}`;
      expect(emailSchema.safeParse(email).success, email).toBe(true);
    }
    expect(mailDomainOf("https://www.例子.中国/p")).toBe("xn--fsqu00a.xn--fiqs8s");
    expect(mailDomainOf("https://www.example.com:8443/legal")).toBe("example.com");
  });

  it("makes the slug from the English short name: accents dropped, at most 63 characters", () => {
    expect(slugFromName("Ünïcode Ltd")).toBe("unicode-ltd");
    expect(slugFromName("Société Générale")).toBe("societe-generale");
    expect(slugFromName("示例")).toBe("my-company");
    const long = slugFromName("Verylongword".repeat(10));
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
  });
});

describe("init's answers", () => {
  it("refuses an answer a terminal not set to UTF-8 sent (its bytes decode to U+FFFD), as text the schema would take", () => {
    const gbk = new TextDecoder().decode(Buffer.from([0xca, 0xbe, 0xc0, 0xfd, ...Buffer.from("公司")])); // 示例 in GBK
    expect(answerProblem("nameZh", gbk)).toBe("not UTF-8 text (\uFFFD marks what could not be read): set the terminal to UTF-8 and answer again");
    expect(answerProblem("email", "privacy@\uFFFD.com")).toBe("not UTF-8 text (\uFFFD marks what could not be read): set the terminal to UTF-8 and answer again");
    expect(answerProblem("nameZh", "示例公司")).toBeUndefined();
    expect(answerProblem("kind", "5")).toBe("answer 1, 2, 3 or 4");
  });
});
