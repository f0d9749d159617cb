/**
 * Compares two texts the same way on every machine. `a.localeCompare(b)` follows the language the
 * process runs in (LANG, LC_ALL): in Danish "aa" sorts after "z", in Czech "ch" after "h", so
 * manifest.json, --json and the order clause files are read in differed between a CI runner and a
 * laptop given the same inputs. The collation is fixed to English, the order those outputs had on the
 * usual machines (LANG=C or en_US), so nothing already published is reordered.
 */
export const compareText: (a: string, b: string) => number = new Intl.Collator("en-US").compare;
