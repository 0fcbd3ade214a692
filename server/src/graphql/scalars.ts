import { GraphQLScalarType, Kind } from 'graphql';
import { isIsoDate } from '../shared/validation';

/**
 * A calendar date without time or zone (YYYY-MM-DD), as the domain's dates are: a disruption's
 * date, a review due date. Invalid dates are refused before any resolver runs.
 */
export const LocalDate = new GraphQLScalarType<string, string>({
  name: 'LocalDate',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && isIsoDate(value.slice(0, 10))) return value.slice(0, 10);
    throw new TypeError(`LocalDate cannot represent ${String(value)}`);
  },
  parseValue(value) {
    if (typeof value !== 'string' || !isIsoDate(value)) throw new TypeError('expected a date as YYYY-MM-DD');
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !isIsoDate(ast.value)) throw new TypeError('expected a date as YYYY-MM-DD');
    return ast.value;
  },
});
