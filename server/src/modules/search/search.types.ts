import { Field, Int, ObjectType } from 'type-graphql';

/**
 * What `search` found: one list per kind of record. Each list is that kind's own list query
 * (threats, nominals, plans, disruptions, referrals, practices) with its text filter, so the
 * access rules, what partners may not match on, purpose checks and audit are exactly the lists'.
 */
@ObjectType({ description: 'What a search found, by kind of record, within your access.' })
export class SearchResults {
  @Field(() => String, { description: 'The words searched for, trimmed.' }) text!: string;
  @Field(() => Int, { description: 'How many of each kind are listed at most (each list has its totalCount).' }) first!: number;
  @Field(() => Int, {
    description:
      'Each list’s totalCount here is counted up to this many and no further: a totalCount of countLimit + 1 means more than countLimit ' +
      '(an exact count of a common word would read every record it matches). The lists themselves count exactly.',
  })
  countLimit!: number;
}
