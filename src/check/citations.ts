import type { Problem } from "../errors.js";
import type { Clause } from "../schema/clause.js";
import type { Citations, CitedLaw, CitedSource } from "../schema/citation.js";
import { closest } from "../schema/zod-problems.js";

const WHERE = "clauses/citations.yaml, or citations.yaml at the top of your own clause folder";

/**
 * A clause's `law:` references and `sources:` entries must name a law or a source policy that
 * citations.yaml lists, and a part of it that exists: a lawyer's PIPL-177 or `policy: ppoi` would
 * otherwise satisfy no checklist item and lead a reader nowhere, without a word.
 */
export function checkCitations(clause: Clause, citations: Citations): Problem[] {
  const problems: Problem[] = [];
  const at = (field: string, fallback: string) => clause.lines[field] ?? clause.lines[fallback];
  clause.law.forEach((ref, i) => {
    const why = lawProblem(ref, citations);
    if (why) problems.push({ code: "UNKNOWN_LAW_REFERENCE", file: clause.file, line: at(`law[${i}]`, "law"), field: `law[${i}]`, ...why });
  });
  clause.sources.forEach((source, i) => {
    const cited = citations.sources.get(source.policy);
    if (!cited) {
      const guess = closest(source.policy, [...citations.sources.keys()]);
      problems.push({
        code: "UNKNOWN_SOURCE", file: clause.file, line: at(`sources[${i}].policy`, "sources"), field: `sources[${i}].policy`,
        message: `the clause names the source policy "${source.policy}", which clauses/citations.yaml does not list${guess ? `; did you mean ${guess}?` : ""}`,
        hint: `The source policies: ${[...citations.sources.keys()].join(", ")} (${WHERE}).`,
      });
    } else if (!hasPart(cited, source.section))
      problems.push({
        code: "UNKNOWN_SOURCE", file: clause.file, line: at(`sources[${i}].section`, "sources"), field: `sources[${i}].section`,
        message: `the clause cites section "${source.section}" of ${source.policy}, which has no such section`,
        hint: `The sections of ${source.policy} (${cited.name}) begin with ${partsText(cited)}; a sub-section follows a dot or a bracket: "三.1(2)".`,
      });
  });
  return problems;
}

/** Why a `law:` reference cites nothing, or undefined when it names a law and an existing part of it. */
function lawProblem(ref: string, citations: Citations): { code?: string; message: string; hint: string } | undefined {
  const [id = "", ...rest] = ref.split("-");
  const law = citations.laws.get(id);
  const ids = [...citations.laws.keys()];
  // pipl-15 for PIPL-15: the checklist matches references as written, so it would satisfy no item
  const otherCase = ids.find((known) => known.toLowerCase() === id.toLowerCase());
  if (!law && otherCase)
    return {
      code: "LAW_REFERENCE_CASE",
      message: `the law reference "${ref}" is not written as the checklist writes ${otherCase}, so it satisfies no item`,
      hint: `Write ${[otherCase, ...rest].join("-")}: law references are case-sensitive (docs/compliance.md).`,
    };
  if (!law) {
    const guess = closest(id, ids);
    return {
      message: `the clause cites "${ref}", but no law has the id "${id}"${guess ? `; did you mean ${[guess, ...rest].join("-")}?` : ""}`,
      hint: `A reference is a law's id, a dash and its article or clause: PIPL-17, GBT35273-5.5. The laws: ${ids.join(", ")} (${WHERE}).`,
    };
  }
  if (hasPart(law, rest.join("-"))) return undefined;
  return {
    message: rest.length ? `the clause cites "${ref}", but ${id} has no part "${firstPart(rest.join("-"))}"` : `the clause cites "${ref}" without the article or clause of ${id}`,
    hint: `${id} (${law.name}) is cited as ${partsText(law, `${id}-`)}, followed by a paragraph or item if needed (PIPL-17-1-2, GBT35273-5.5).`,
  };
}

/** The part a reference or a section starts with: 17 of 17-1-2, 5 of 5.5, 三 of 三.(七)(1). */
const firstPart = (cited: string) => cited.split(/[-.(（]/)[0]!.trim();

function hasPart(cited: CitedLaw | CitedSource, part: string): boolean {
  const first = firstPart(part);
  if (cited.names.includes(first)) return true;
  return /^[1-9][0-9]*$/.test(first) && cited.numbers !== undefined && Number(first) <= cited.numbers;
}

function partsText(cited: CitedLaw | CitedSource, prefix = ""): string {
  const numbered = cited.numbers ? [`${prefix}1 to ${prefix}${cited.numbers}`] : [];
  return [...numbered, ...cited.names.map((n) => `${prefix}${n}`)].join(", ");
}
