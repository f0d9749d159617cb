/** The strings of a profile that `wanted` keeps, with their paths (a profile has hundreds: the path is copied only for those kept). */
export function stringsOf(value: unknown, wanted: (path: (string | number)[], value: string) => boolean): { path: (string | number)[]; value: string }[] {
  const found: { path: (string | number)[]; value: string }[] = [];
  const path: (string | number)[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      if (wanted(path, v)) found.push({ path: [...path], value: v });
    } else if (Array.isArray(v))
      v.forEach((item, i) => {
        path.push(i);
        visit(item);
        path.pop();
      });
    else if (v && typeof v === "object")
      for (const [k, item] of Object.entries(v)) {
        path.push(k);
        visit(item);
        path.pop();
      }
  };
  visit(value);
  return found;
}
