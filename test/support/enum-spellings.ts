import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType } from 'graphql';

/**
 * The API's enum values as the schema spells them (schema/schema.graphql): in words on screen,
 * never these. Left out: one-letter values (the 3x5x2 grades A-E and handling codes, shown as
 * officers write them, "A: known directly"), and values that are also the names people use:
 * organisations' initials (HMRC, NCA, CPS, ROCU), URN (the threat's reference) and the officers
 * known by their initials (LRO, SRO: docs/domain.md).
 */
const ALSO_PLAIN = new Set(['HMRC', 'NCA', 'CPS', 'ROCU', 'URN', 'LRO', 'SRO']);

let spellings: string[] | undefined;
export function schemaEnumSpellings(): string[] {
  if (spellings) return spellings;
  const schema = buildSchema(fs.readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
  const values = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isEnumType(type) || type.name.startsWith('__')) continue;
    for (const value of type.getValues()) if (value.name.length > 1 && !ALSO_PLAIN.has(value.name)) values.add(value.name);
  }
  return (spellings = [...values].sort());
}

/** The enum spellings standing as words of their own in `text` (case as in the schema). */
export function enumSpellingsIn(text: string): string[] {
  return schemaEnumSpellings().filter((value) => new RegExp(`(^|[^A-Za-z0-9_])${value}($|[^A-Za-z0-9_])`).test(text));
}
