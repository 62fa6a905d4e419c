/**
 * What one `pulumi up` (or preview) of a migration may do, decided from a live read of the
 * pools: what it changes, what it must hold back, and when it must refuse.
 *
 * The invariant every decision keeps: the rules applied at any moment serve the live mode and
 * the target mode of every pool that has nodes. Widening always precedes a change of target
 * (the components order resources so); narrowing happens only once every pool that stays runs
 * the narrower mode, and a pool on its way out keeps its rules until it is gone.
 */
import { CommunicationMode, modesFor, NodeMode, NODE_MODES } from "../modes";
import { describeModes } from "../modes";
import { DEFAULT_STAGE_CONFIG_KEY, stageCommand } from "./commands";
import { MigrationStage, MigrationStrategy, PoolRole, stagePools, stageSettings } from "./stages";

const { Classic } = CommunicationMode;

/** What a live read (`batch.getPool`) says of a pool. */
export interface LivePool {
  /** False when Azure answers "not found". */
  readonly exists: boolean;
  /** `targetNodeCommunicationMode`; absent when Azure does not report it (API 2025-06-01+). */
  readonly target?: CommunicationMode;
  /** `currentNodeCommunicationMode`; absent when Azure does not report it. */
  readonly current?: NodeMode;
  /** Dedicated plus low-priority nodes now. */
  readonly nodes: number;
  /** The node count the pool is resizing to, when it is on fixed scale. */
  readonly targetNodes?: number;
  /** `allocationState` is Steady. */
  readonly steady: boolean;
}

/** A pool as this run sees it. `live` is "unknown" when its name is unknown (a preview). */
export interface PoolObservation {
  readonly role: PoolRole;
  readonly name?: string;
  readonly live: LivePool | "unknown";
}

export interface RunInput {
  readonly stage: MigrationStage;
  readonly strategy: MigrationStrategy;
  /** Every role of the strategy, declared at this stage or not. */
  readonly pools: readonly PoolObservation[];
  /**
   * The mode the user confirmed the pools run in, for when Azure does not report it (API
   * versions from 2025-06-01 drop the property). Never used when Azure reports a mode.
   */
  readonly confirmedLiveMode?: NodeMode;
  /** The pool's configured size, for messages. */
  readonly configuredSize?: string;
  /** The config key the commands in messages set. Default `stage`. */
  readonly configKey?: string;
}

/** What this run does with one pool. */
export interface PoolAction {
  readonly role: PoolRole;
  readonly name?: string;
  /** Declared in this run; an undeclared pool that exists is deleted by it. */
  readonly declared: boolean;
  readonly target: NodeMode;
  /** Resize to zero (draining for a mode change) or hold the configured size. */
  readonly scale: "configured" | "zero";
}

/** Everything one run decides. */
export interface RunDecision {
  /** Why this run must not happen; the gate fails preview and update with it. */
  readonly refusal?: string;
  /** The modes the applied rules serve: the stage's, plus what pools on their way out hold. */
  readonly appliedRuleModes: NodeMode[];
  readonly pools: PoolAction[];
  /** What this run does, in words. */
  readonly thisRun: string[];
  /** What the next run will do, in words. */
  readonly nextRun: string[];
  /** The stage is complete: every pool runs its target, nothing is held or resizing. */
  readonly settled: boolean;
  /** The live mode of each pool, as Azure reports it ("none" when absent, "unknown" in preview). */
  readonly liveModes: Partial<Record<PoolRole, string>>;
}

function describe(role: PoolRole, name: string | undefined): string {
  const label = role === "original" ? "pool" : "replacement pool";
  return name ? `${label} ${name}` : `the new ${label}`;
}

/** The mode a live pool runs in: reported, or confirmed by the user when Azure is silent. */
function liveMode(live: LivePool, confirmed: NodeMode | undefined): NodeMode | undefined {
  return live.current ?? confirmed;
}

const UNREPORTED =
  "Azure's live read of the pool carries no currentNodeCommunicationMode (management API versions from 2025-06-01 drop it)";

/** Decides one `pulumi up` (or preview) at a stage from a live read of the pools. */
export function decideRun(input: RunInput): RunDecision {
  const stage = stageSettings(input.stage);
  const configKey = input.configKey ?? DEFAULT_STAGE_CONFIG_KEY;
  const declared = stagePools(input.stage, input.strategy);
  const narrowing = stage.ruleModes.length < NODE_MODES.length;
  const held = new Set<NodeMode>();
  const thisRun: string[] = [];
  const nextRun: string[] = [];
  const refusals: string[] = [];
  const plans: PoolAction[] = [];
  const liveModes: Partial<Record<PoolRole, string>> = {};
  let settled = true;

  for (const observation of input.pools) {
    const { role, name, live } = observation;
    const label = describe(role, name);
    const wanted = declared.find((p) => p.role === role);
    liveModes[role] =
      live === "unknown" ? "unknown" : !live.exists ? "none" : (live.current ?? "unreported");

    if (!wanted) {
      // Not declared at this stage: a pool that still exists is deleted by this run.
      if (live !== "unknown" && live.exists) {
        const mode = liveMode(live, input.confirmedLiveMode);
        const needs = mode ? [mode] : [...NODE_MODES];
        const missing = needs.filter((m) => !stage.ruleModes.includes(m));
        const empty = live.nodes === 0 && live.steady;
        thisRun.push(`deletes ${label} (${mode ?? "mode unreported"}, ${live.nodes} nodes).`);
        if (missing.length > 0 && !empty) {
          missing.forEach((m) => held.add(m));
          settled = false;
          thisRun.push(
            `keeps the ${missing.join(" and ")} rules while ${label} still has nodes: they go once it is deleted.`,
          );
          nextRun.push(`removes the ${missing.join(" and ")} rules (${label} is gone by then).`);
        }
      }
      continue;
    }

    const plan = { role, name, declared: true, target: wanted.target };
    if (live === "unknown" || !live.exists) {
      thisRun.push(
        `creates ${label} with target ${wanted.target}; it starts in ${wanted.target} mode.`,
      );
      nextRun.push(`confirms ${label} runs ${wanted.target} (live currentNodeCommunicationMode).`);
      settled = false;
      plans.push({ ...plan, scale: "configured" });
      continue;
    }

    const mode = liveMode(live, input.confirmedLiveMode);
    if (mode === undefined) {
      if (narrowing) {
        refusals.push(
          `${label}: ${UNREPORTED}, so this package cannot prove it runs ${stage.ruleModes[0]} before removing the other mode's rules. Check the pool's mode in the Azure portal (Pool > Properties > Node communication mode), then set confirmedLiveMode to it and run again.`,
        );
      } else {
        thisRun.push(
          `keeps ${label} at its configured size: ${UNREPORTED}, so the resize to apply a mode cannot be tracked; resize it to zero and back by hand, then confirm its mode.`,
        );
      }
      settled = false;
      plans.push({ ...plan, scale: "configured" });
      continue;
    }

    if (!stage.ruleModes.includes(mode)) {
      refusals.push(
        `${label} still runs ${mode} (live currentNodeCommunicationMode), and stage ${input.stage} would remove the ${mode} rules its nodes need, leaving every node unusable. Remedy: go back to stage ${mode === Classic ? "simplified-pool" : "union"} (${stageCommand(mode === Classic ? "simplified-pool" : "union", configKey)}) and run it until nextStageSafe is true.`,
      );
      settled = false;
      plans.push({ ...plan, scale: "configured" });
      continue;
    }

    // A target this run moves away from may still be applied by Azure (a resize is under
    // way): its rules stay until the pool's new target is in place.
    const oldTargetNeeds =
      live.target && live.target !== wanted.target ? modesFor(live.target) : [];
    const targetHeld = oldTargetNeeds.filter((m) => !stage.ruleModes.includes(m));
    if (targetHeld.length > 0) {
      targetHeld.forEach((m) => held.add(m));
      settled = false;
      thisRun.push(
        `keeps the ${targetHeld.join(" and ")} rules while ${label}'s target changes from ${live.target} to ${wanted.target}.`,
      );
      nextRun.push(
        `removes the ${targetHeld.join(" and ")} rules (${label}'s target is ${wanted.target} by then).`,
      );
    }

    if (mode === wanted.target) {
      if (live.target !== undefined && live.target !== wanted.target) {
        thisRun.push(`sets ${label}'s target to ${wanted.target} (it already runs ${mode}).`);
      }
      if (!live.steady) {
        settled = false;
        thisRun.push(
          `leaves ${label} resizing to its configured size${input.configuredSize ? ` (${input.configuredSize})` : ""}.`,
        );
        nextRun.push(`finds ${label} at its configured size.`);
      }
      plans.push({ ...plan, scale: "configured" });
      continue;
    }

    // The pool runs the other mode: its target changes and it goes to zero nodes and back out.
    settled = false;
    if (live.target !== wanted.target) {
      thisRun.push(
        `sets ${label}'s target to ${wanted.target} and resizes it to 0 nodes (it runs ${mode} with ${live.nodes} nodes).`,
      );
      nextRun.push(
        `scales ${label} back out${input.configuredSize ? ` to ${input.configuredSize}` : ""} once it has drained; Azure applies ${wanted.target} as the nodes join.`,
      );
      plans.push({ ...plan, scale: "zero" });
    } else if (live.nodes === 0 && live.steady) {
      thisRun.push(
        `scales ${label} back out${input.configuredSize ? ` to ${input.configuredSize}` : ""}; Azure applies ${wanted.target} as the nodes join.`,
      );
      nextRun.push(`confirms ${label} runs ${wanted.target} (live currentNodeCommunicationMode).`);
      plans.push({ ...plan, scale: "configured" });
    } else if (live.targetNodes === 0 || !live.steady) {
      thisRun.push(`keeps ${label} at 0 nodes while it drains (${live.nodes} nodes left).`);
      nextRun.push(`scales ${label} back out once it has drained.`);
      plans.push({ ...plan, scale: "zero" });
    } else {
      thisRun.push(
        `resizes ${label} to 0 nodes again: it came back out in ${mode} before it had drained.`,
      );
      nextRun.push(`scales ${label} back out once it has drained.`);
      plans.push({ ...plan, scale: "zero" });
    }
  }

  const appliedRuleModes = NODE_MODES.filter((m) => stage.ruleModes.includes(m) || held.has(m));
  if (refusals.length > 0) {
    return {
      refusal: refusals.join("\n"),
      appliedRuleModes,
      pools: plans,
      thisRun: [],
      nextRun: [],
      settled: false,
      liveModes,
    };
  }
  if (thisRun.length === 0)
    thisRun.push(
      `leaves every pool as it is (each already runs as this stage asks); the rules serve ${describeModes(appliedRuleModes)}.`,
    );
  if (settled) nextRun.push("changes nothing: this stage is complete.");
  return { appliedRuleModes, pools: plans, thisRun, nextRun, settled, liveModes };
}
