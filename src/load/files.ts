import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { PolicyError } from "../errors.js";

/** Every file under `dir` whose name ends with one of `extensions`, sorted so builds are deterministic. */
export async function listFiles(dir: string, extensions: string[]): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string) {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && extensions.some((x) => e.name.endsWith(x))) out.push(p);
    }
  }
  await walk(dir);
  return out;
}

/** Reads a text file, turning the usual mistakes (missing, a folder, unreadable) into errors for people. */
export async function readText(path: string, what: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new PolicyError({ code: "FILE_NOT_FOUND", file: displayPath(path), message: `the ${what} does not exist`, hint: "Check the path; it is relative to the folder you run the command in." });
  }
  if (info.isDirectory())
    throw new PolicyError({ code: "FILE_IS_DIRECTORY", file: displayPath(path), message: `the ${what} is a folder, not a file`, hint: what === "profile" ? "Name the profile.yaml file inside the folder." : "Name a file." });
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new PolicyError({ code: "FILE_UNREADABLE", file: displayPath(path), message: `the ${what} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`, hint: "Check the file's permissions." });
  }
}

/** Paths in messages are relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && rel.length < path.length ? rel : path;
}
