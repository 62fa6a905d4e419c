/**
 * What one `pulumi up` (or preview) of a migration may do, decided from a live read of the
 * pools: what it changes, what it must hold back, and when it must refuse.
 *
 * The invariant every decision keeps: the rules applied at any moment serve the live mode and
 * the target mode of every pool that has nodes. Widening always precedes a change of target
 * (the components order resources so); narrowing happens only once every pool that stays runs
 * the narrower mode, and a pool on its way out keeps its rules until it is gone.
 */
import { CommunicationMode, describeModes, modesFor, NodeMode, NODE_MODES } from "../modes";
import { DEFAULT_STAGE_CONFIG_KEY, stageCommand } from "./commands";
import {
  MigrationStage,
  MigrationStrategy,
  PoolRole,
  StageSettings,
  stagePools,
  stageSettings,
} from "./stages";

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
  readonly liveModes: { [role: string]: string };
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

/** What a run decides about one pool, merged into the run's decision. */
interface PoolVerdict {
  readonly thisRun: string[];
  readonly nextRun: string[];
  readonly held: NodeMode[];
  readonly refusal?: string;
  readonly action?: PoolAction;
  readonly settled: boolean;
}

interface PoolContext {
  readonly input: RunInput;
  readonly stage: StageSettings;
  readonly configKey: string;
  readonly label: string;
}

function verdict(partial: Partial<PoolVerdict>): PoolVerdict {
  return { thisRun: [], nextRun: [], held: [], settled: true, ...partial };
}

/** A pool the stage does not declare: this run deletes it, holding its rules while it has nodes. */
function leavingPool(ctx: PoolContext, live: LivePool | "unknown"): PoolVerdict {
  if (live === "unknown" || !live.exists) return verdict({});
  const { label, stage } = ctx;
  const mode = liveMode(live, ctx.input.confirmedLiveMode);
  const needs = mode ? [mode] : [...NODE_MODES];
  const missing = needs.filter((m) => !stage.ruleModes.includes(m));
  const empty = live.nodes === 0 && live.steady;
  const thisRun = [`deletes ${label} (${mode ?? "mode unreported"}, ${live.nodes} nodes).`];
  if (missing.length === 0 || empty) return verdict({ thisRun });
  return verdict({
    held: missing,
    settled: false,
    thisRun: [
      ...thisRun,
      `keeps the ${missing.join(" and ")} rules while ${label} still has nodes: they go once it is deleted.`,
    ],
    nextRun: [`removes the ${missing.join(" and ")} rules (${label} is gone by then).`],
  });
}

/** A pool that runs the other mode: its target changes and it goes to zero nodes and back out. */
function resizeDance(
  ctx: PoolContext,
  live: LivePool,
  mode: NodeMode,
  action: Omit<PoolAction, "scale">,
): PoolVerdict {
  const { label } = ctx;
  const size = ctx.input.configuredSize;
  if (live.target !== action.target) {
    return verdict({
      settled: false,
      action: { ...action, scale: "zero" },
      thisRun: [
        `sets ${label}'s target to ${action.target} and resizes it to 0 nodes (it runs ${mode} with ${live.nodes} nodes).`,
      ],
      nextRun: [
        `scales ${label} back out${size ? ` to ${size}` : ""} once it has drained; Azure applies ${action.target} as the nodes join.`,
      ],
    });
  }
  if (live.nodes === 0 && live.steady) {
    return verdict({
      settled: false,
      action: { ...action, scale: "configured" },
      thisRun: [
        `scales ${label} back out${size ? ` to ${size}` : ""}; Azure applies ${action.target} as the nodes join.`,
      ],
      nextRun: [`confirms ${label} runs ${action.target} (live currentNodeCommunicationMode).`],
    });
  }
  const thisRun =
    live.targetNodes === 0 || !live.steady
      ? `keeps ${label} at 0 nodes while it drains (${live.nodes} nodes left).`
      : `resizes ${label} to 0 nodes again: it came back out in ${mode} before it had drained.`;
  return verdict({
    settled: false,
    action: { ...action, scale: "zero" },
    thisRun: [thisRun],
    nextRun: [`scales ${label} back out once it has drained.`],
  });
}

/** A pool the stage declares, as its live read shows it. */
function keptPool(ctx: PoolContext, observation: PoolObservation, target: NodeMode): PoolVerdict {
  const { label, stage, input } = ctx;
  const { live } = observation;
  const action = { role: observation.role, name: observation.name, declared: true, target };
  if (live === "unknown" || !live.exists) {
    return verdict({
      settled: false,
      action: { ...action, scale: "configured" },
      thisRun: [`creates ${label} with target ${target}; it starts in ${target} mode.`],
      nextRun: [`confirms ${label} runs ${target} (live currentNodeCommunicationMode).`],
    });
  }
  const configured = { ...action, scale: "configured" as const };
  const mode = liveMode(live, input.confirmedLiveMode);
  if (mode === undefined) {
    const narrowing = stage.ruleModes.length < NODE_MODES.length;
    return narrowing
      ? verdict({
          settled: false,
          action: configured,
          refusal: `${label}: ${UNREPORTED}, so this package cannot prove it runs ${stage.ruleModes[0]} before removing the other mode's rules. Check the pool's mode in the Azure portal (Pool > Properties > Node communication mode), then set confirmedLiveMode to it and run again.`,
        })
      : verdict({
          settled: false,
          action: configured,
          thisRun: [
            `keeps ${label} at its configured size: ${UNREPORTED}, so the resize to apply a mode cannot be tracked; resize it to zero and back by hand, then confirm its mode.`,
          ],
        });
  }
  if (!stage.ruleModes.includes(mode)) {
    const back = mode === Classic ? "simplified-pool" : "union";
    return verdict({
      settled: false,
      action: configured,
      refusal: `${label} still runs ${mode} (live currentNodeCommunicationMode), and stage ${input.stage} would remove the ${mode} rules its nodes need, leaving every node unusable. Remedy: go back to stage ${back} (${stageCommand(back, ctx.configKey)}) and run it until nextStageSafe is true.`,
    });
  }
  // A target this run moves away from may still be applied by Azure (a resize is under
  // way): its rules stay until the pool's new target is in place.
  const oldTargetNeeds = live.target && live.target !== target ? modesFor(live.target) : [];
  const targetHeld = oldTargetNeeds.filter((m) => !stage.ruleModes.includes(m));
  const holding = verdict(
    targetHeld.length === 0
      ? {}
      : {
          held: targetHeld,
          settled: false,
          thisRun: [
            `keeps the ${targetHeld.join(" and ")} rules while ${label}'s target changes from ${live.target} to ${target}.`,
          ],
          nextRun: [
            `removes the ${targetHeld.join(" and ")} rules (${label}'s target is ${target} by then).`,
          ],
        },
  );
  const pool =
    mode === target
      ? inTargetMode(ctx, live, mode, configured)
      : resizeDance(ctx, live, mode, action);
  return merge([holding, pool]);
}

/** A pool that already runs its target's mode: at most its target is set and its resize awaited. */
function inTargetMode(
  ctx: PoolContext,
  live: LivePool,
  mode: NodeMode,
  action: PoolAction,
): PoolVerdict {
  const { label } = ctx;
  const thisRun: string[] = [];
  if (live.target !== undefined && live.target !== action.target) {
    thisRun.push(`sets ${label}'s target to ${action.target} (it already runs ${mode}).`);
  }
  if (live.steady) return verdict({ thisRun, action });
  const size = ctx.input.configuredSize;
  return verdict({
    settled: false,
    action,
    thisRun: [
      ...thisRun,
      `leaves ${label} resizing to its configured size${size ? ` (${size})` : ""}.`,
    ],
    nextRun: [`finds ${label} at its configured size.`],
  });
}

function merge(verdicts: readonly PoolVerdict[]): PoolVerdict {
  const refusals = verdicts.flatMap((v) => (v.refusal ? [v.refusal] : []));
  const action = verdicts.map((v) => v.action).find((a) => a !== undefined);
  return {
    thisRun: verdicts.flatMap((v) => v.thisRun),
    nextRun: verdicts.flatMap((v) => v.nextRun),
    held: verdicts.flatMap((v) => v.held),
    settled: verdicts.every((v) => v.settled),
    ...(refusals.length > 0 ? { refusal: refusals.join("\n") } : {}),
    ...(action ? { action } : {}),
  };
}

/** Decides one `pulumi up` (or preview) at a stage from a live read of the pools. */
export function decideRun(input: RunInput): RunDecision {
  const stage = stageSettings(input.stage);
  const configKey = input.configKey ?? DEFAULT_STAGE_CONFIG_KEY;
  const declared = stagePools(input.stage, input.strategy);
  const liveModes: { [role: string]: string } = {};
  const perPool = input.pools.map((observation) => {
    const { role, name, live } = observation;
    liveModes[role] =
      live === "unknown" ? "unknown" : !live.exists ? "none" : (live.current ?? "unreported");
    const ctx: PoolContext = { input, stage, configKey, label: describe(role, name) };
    const wanted = declared.find((p) => p.role === role);
    return wanted ? keptPool(ctx, observation, wanted.target) : leavingPool(ctx, live);
  });
  const all = merge(perPool);
  const actions = perPool.flatMap((v) => (v.action ? [v.action] : []));
  const held = new Set(all.held);
  const { thisRun, nextRun, settled } = all;
  const refusals = all.refusal ? [all.refusal] : [];
  const appliedRuleModes = NODE_MODES.filter((m) => stage.ruleModes.includes(m) || held.has(m));
  if (refusals.length > 0) {
    return {
      refusal: refusals.join("\n"),
      appliedRuleModes,
      pools: actions,
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
  return { appliedRuleModes, pools: actions, thisRun, nextRun, settled, liveModes };
}
