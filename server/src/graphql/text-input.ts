import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import { BadUserInputError, type FieldProblem } from './errors';

/**
 * A NUL character (PostgreSQL text cannot hold one: the statement fails) or half of a UTF-16
 * surrogate pair (no UTF-8 encoding exists: it would be stored as U+FFFD, silently changed).
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses, before a field resolves, any string argument that no database column could hold, with
 * BAD_USER_INPUT naming each argument at fault (`filter.text`, `ids[2]`). One check for every
 * String and ID argument of every field, so a search box, a filter or an input cannot reach
 * PostgreSQL with a character it would fail on (a 500 that showed the statement, before).
 */
export function refuseUnstorableText(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.length) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const problems = unstorableStrings(args);
        if (problems.length) throw new BadUserInputError(problems);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

/** Every string in the arguments that cannot be stored, by its path from the argument's name. */
export function unstorableStrings(value: unknown, path = '', problems: FieldProblem[] = []): FieldProblem[] {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) problems.push({ field: path, message: 'contains a character that cannot be stored (NUL or half a surrogate pair)' });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableStrings(item, `${path}[${i}]`, problems));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) unstorableStrings(item, path ? `${path}.${key}` : key, problems);
  }
  return problems;
}
