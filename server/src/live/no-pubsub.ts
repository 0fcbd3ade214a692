import type { PubSub } from 'type-graphql';

/**
 * type-graphql insists on a PubSub when a schema has subscriptions, but ours never use one: each
 * subscription registers with the LiveHub, which reads the database's event log. Nothing is
 * ever published from memory, so this one refuses to be used.
 */
export const noPubSub: PubSub = {
  publish() {
    throw new Error('Live updates come from the event log (LiveHub), never from an in-memory PubSub.');
  },
  subscribe() {
    throw new Error('Live updates come from the event log (LiveHub), never from an in-memory PubSub.');
  },
};
