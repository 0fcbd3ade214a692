/**
 * Before anything is timed, each scenario is asked once of SOC Hub and once of the baseline and
 * the two answers compared: a baseline that returned less would flatter it, and a GraphQL answer
 * with errors would measure the speed of an error message.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Target } from './measure';

export interface Answer {
  data?: unknown;
  errors?: { message: string }[];
}

export async function ask(target: Target): Promise<Answer> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target.url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Answer;
}

/** A copy without the named keys at any depth (e.g. the ID of a record just created). */
function without(value: unknown, keys: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => without(v, keys));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)).map(([k, v]) => [k, without(v, keys)]));
  }
  return value;
}

/** The first place where two answers differ, as a path, for the report. */
function firstDifference(a: unknown, b: unknown, path = 'data'): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as any)[key], (b as any)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
}

/** Undefined when both give the same data; otherwise what differs. Throws on GraphQL errors. */
export async function compareAnswers(ours: Target, baseline: Target, ignore: string[] = []): Promise<string | undefined> {
  const [a, b] = [await ask(ours), await ask(baseline)];
  if (a.errors?.length) throw new Error(`GraphQL errors: ${a.errors.map((e) => e.message).join('; ')}`);
  return firstDifference(without(a.data, ignore), without(b.data, ignore));
}
