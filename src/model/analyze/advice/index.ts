/**
 * All the advice on one network, safe by construction: each change that removes or narrows
 * something is kept only if the network after it, and after it together with every change kept
 * before it, lets every needed flow through at least as well as now. A rule whose removal would
 * cost a needed flow is not called unneeded at all.
 */
import { addsOnlyAnAllow } from "../changes";
import { additionAdvice } from "./additions";
import {
  Advice,
  AdviceContext,
  applyChanges,
  changedRules,
  keepsNeededFlows,
  noWorse,
  touchesNeededFlows,
} from "./context";
import { exposureAdvice } from "./exposure";
import { leftoverAdvice } from "./leftovers";
import { neverMatchingAdvice, shadowAdvice } from "./shadowing";

export type { Advice, AdviceContext, AdviceKind } from "./context";
export { applyChanges, keepsNeededFlows } from "./context";

/**
 * One change per rule: a rule that can go altogether is not also trimmed, nor removed twice
 * (shadowed and left over): the first removal, which names why, stands.
 */
function onePerRule(advice: readonly Advice[]): Advice[] {
  const key = (a: Advice) => `${a.nsg}\u0000${a.rule}`;
  const removed = new Set<string>();
  for (const a of advice) if (a.change?.action === "remove-rule") removed.add(key(a));
  const seen = new Set<string>();
  return advice.filter((a) => {
    if (a.change === undefined) return true;
    if (removed.has(key(a)) && a.change.action !== "remove-rule") return false;
    if (seen.has(key(a))) return false;
    seen.add(key(a));
    return true;
  });
}

/**
 * The advice, with every removal checked by the evaluator alone and on top of the removals kept
 * before it (the network after them is carried along; removals of rules no needed flow touches
 * cannot change any needed outcome, so they are neither judged nor carried).
 */
export function adviseNetwork(ctx: AdviceContext): Advice[] {
  const candidates = onePerRule([...shadowAdvice(ctx), ...leftoverAdvice(ctx)]);
  let afterKept = ctx.path;
  const safe: Advice[] = [];
  for (const advice of candidates) {
    const change = advice.change;
    if (change && touchesNeededFlows(ctx, change, afterKept)) {
      const together = applyChanges(afterKept, [change]);
      if (!keepsNeededFlows(ctx, [change]) || !noWorse(ctx, together, changedRules(ctx, [change])))
        continue;
      afterKept = together;
    }
    safe.push(advice);
  }
  const fixes = [...neverMatchingAdvice(ctx), ...additionAdvice(ctx)].filter(
    (a) => !a.change || addsOnlyAnAllow(a.change) || keepsNeededFlows(ctx, [a.change]),
  );
  return [...fixes, ...safe, ...exposureAdvice(ctx)];
}
