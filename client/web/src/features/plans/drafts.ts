import { useEffect, useSyncExternalStore } from 'react';
import type { Strand } from '../../gql/graphql';

/**
 * The objectives being typed in the plan editor, by strand, so the quality gate can show at once
 * which of its problems the typing will resolve when saved. The server's gate stays the only
 * judge: this only marks a MISSING_STRAND problem as about to be resolved; it never hides one.
 */
let drafting: ReadonlySet<string> = new Set();
const listeners = new Set<() => void>();
const keyOf = (planId: string, strand: Strand) => `${planId}:${strand}`;

function setDrafting(key: string, typing: boolean) {
  if (drafting.has(key) === typing) return;
  const next = new Set(drafting);
  if (typing) next.add(key);
  else next.delete(key);
  drafting = next;
  listeners.forEach((l) => l());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** Called by the objective form: whether the user has typed an objective for this strand. */
export function useDraftObjective(planId: string, strand: Strand, text: string): void {
  const typing = text.trim() !== '';
  useEffect(() => {
    const key = keyOf(planId, strand);
    setDrafting(key, typing);
    return () => setDrafting(key, false);
  }, [planId, strand, typing]);
}

/** Whether an objective is being typed for `strand` of the plan. */
export function useIsDrafting(): (planId: string, strand: Strand | null | undefined) => boolean {
  const current = useSyncExternalStore(subscribe, () => drafting);
  return (planId, strand) => !!strand && current.has(keyOf(planId, strand));
}
