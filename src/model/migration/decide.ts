/**
 * What one `pulumi up` (or preview) of a migration may do, decided from a live read of the
 * pools: what it changes, what it must hold back, and when it must refuse.
 *
 * A pool's mode is not known from its reported `currentNodeCommunicationMode` alone: a drained
 * pool keeps reporting its last mode, and since Azure stopped honouring Classic a Classic target
 * may yield Simplified nodes (or, on pools still treated the old way, Classic ones). So every
 * decision works from the modes a pool's *next* nodes may join in, plus the mode its running
 * nodes use. The invariant: the rules applied at any moment serve every mode any pool's nodes
 * run in or may join in. Rules never narrow in a run that changes a target or scales a pool
 * out; they narrow in a later run, once the live read shows no pool needs them.
 */
import { CommunicationMode, describeModes, modesForTarget, NodeMode, NODE_MODES } from "../modes";
import { DEFAULT_STAGE_CONFIG_KEY, stageCommand } from "./commands";
import {
  MigrationStage,
  MigrationStrategy,
  PoolRole,
  StageSettings,
  stagePools,
  stageSettings,
} from "./stages";

const { Classic, Simplified } = CommunicationMode;

/** What a live read (`batch.getPool`) says of a pool. */
export interface LivePool {
  /** False when Azure answers "not found" for the pool. */
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
  /**
   * The pool is configured with no nodes (a fixed size of 0): it has nothing to resize, and its
   * mode is applied whenever someone scales it out, so a stage waits for no nodes to join.
   */
  readonly configuredEmpty?: boolean;
  /** The config key the commands in messages set. Default `stage`. */
  readonly configKey?: string;
  /** Whether the region offers simplified mode. Default true. */
  readonly simplifiedAvailable?: boolean;
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
  /** The modes the applied rules serve: the stage's, plus what pools hold this run. */
  readonly appliedRuleModes: NodeMode[];
  readonly pools: PoolAction[];
  /** What this run does, in words. */
  readonly thisRun: string[];
  /** What the next run will do, in words. */
  readonly nextRun: string[];
  /** The stage is complete: nothing is held, resizing or waiting to be confirmed. */
  readonly settled: boolean;
  /** The live mode of each pool, as Azure reports it ("none" when absent, "unknown" in preview). */
  readonly liveModes: { [role: string]: string };
}

/** What a run decides about one pool, merged into the run's decision. */
interface PoolVerdict {
  readonly thisRun: string[];
  readonly nextRun: string[];
  /** The modes this pool's nodes run in or may join in during this run. */
  readonly needs: NodeMode[];
  /** Held modes this verdict already explains in its own words. */
  readonly explains: NodeMode[];
  readonly refusal?: string;
  readonly action?: PoolAction;
  readonly settled: boolean;
}

interface PoolContext {
  readonly input: RunInput;
  readonly stage: StageSettings;
  readonly configKey: string;
  readonly label: string;
  readonly region: { readonly simplifiedAvailable: boolean };
}

const UNREPORTED =
  "Azure's live read of the pool carries no currentNodeCommunicationMode (management API versions from 2025-06-01 drop it)";

function verdict(partial: Partial<PoolVerdict>): PoolVerdict {
  return { thisRun: [], nextRun: [], needs: [], explains: [], settled: true, ...partial };
}

function describe(role: PoolRole, name: string | undefined): string {
  const label = role === "original" ? "pool" : "replacement pool";
  return name ? `${label} ${name}` : `the new ${label}`;
}

/** Nodes run now, or the pool is resizing: its current mode is in use. */
function active(live: LivePool): boolean {
  return live.nodes > 0 || !live.steady;
}

/** The modes nodes joining under this target may take; an unreported target may be either. */
function joining(ctx: PoolContext, target: CommunicationMode | undefined): NodeMode[] {
  if (target === undefined)
    return ctx.region.simplifiedAvailable ? [...NODE_MODES] : [CommunicationMode.Classic];
  return modesForTarget(target, ctx.region);
}

/** The mode a target asks for, where Azure honours it. */
function asked(ctx: PoolContext, target: NodeMode): NodeMode {
  return ctx.region.simplifiedAvailable ? target : Classic;
}

/** A pool the stage does not declare: this run deletes it, holding its rules while it has nodes. */
function leavingPool(ctx: PoolContext, live: LivePool | "unknown"): PoolVerdict {
  if (live === "unknown" || !live.exists) return verdict({});
  const { label } = ctx;
  const mode = live.current ?? ctx.input.confirmedLiveMode;
  const thisRun = [`deletes ${label} (${mode ?? "mode unreported"}, ${live.nodes} nodes).`];
  if (!active(live)) return verdict({ thisRun });
  const needs = [
    ...new Set([
      ...(mode ? [mode] : NODE_MODES),
      ...(live.steady ? [] : joining(ctx, live.target)),
    ]),
  ];
  const held = needs.filter((m) => !ctx.stage.ruleModes.includes(m));
  if (held.length === 0) return verdict({ thisRun, needs });
  return verdict({
    needs,
    explains: held,
    settled: false,
    thisRun: [
      ...thisRun,
      `keeps the ${held.join(" and ")} rules while ${label} still has nodes: they go once it is deleted.`,
    ],
    nextRun: [`removes the ${held.join(" and ")} rules (${label} is gone by then).`],
  });
}

/** A pool the stage declares but Azure does not have yet: this run creates it. */
function newPool(ctx: PoolContext, action: Omit<PoolAction, "scale">): PoolVerdict {
  const joins = joining(ctx, action.target);
  return verdict({
    settled: false,
    needs: joins,
    action: { ...action, scale: "configured" },
    thisRun: [
      `creates ${ctx.label} with target ${action.target}; its nodes join in ${joins.join(" or ")}.`,
    ],
    nextRun: [`confirms the mode ${ctx.label} runs (live currentNodeCommunicationMode).`],
  });
}

/** Why the run must not happen for this pool, if it must not. */
function gate(ctx: PoolContext, live: LivePool, mode: NodeMode | undefined): string | undefined {
  const { label, stage, input } = ctx;
  const narrowing = stage.ruleModes.length < NODE_MODES.length;
  if (mode === undefined) {
    return narrowing
      ? `${label}: ${UNREPORTED}, so this package cannot prove it runs ${stage.ruleModes[0]} before removing the other mode's rules. Check the pool's mode in the Azure portal (Pool > Properties > Node communication mode), then set confirmedLiveMode to it and run again.`
      : undefined;
  }
  const final = input.stage === "api-2025-06-01";
  if ((active(live) || final) && !stage.ruleModes.includes(mode)) {
    const back = mode === Classic ? "simplified-pool" : "union";
    return `${label} still runs ${mode} (live currentNodeCommunicationMode), and stage ${input.stage} would ${final ? "declare it without the mode property and " : ""}remove the ${mode} rules its nodes need, leaving every node unusable. Remedy: go back to stage ${back} (${stageCommand(back, ctx.configKey)}) and run it until nextStageSafe is true.`;
  }
  if (final && live.target === Classic) {
    return `${label} still targets Classic, and stage api-2025-06-01 declares the pool without the mode property, so nothing could change that target afterwards. Remedy: apply stage simplified first (${stageCommand("simplified", ctx.configKey)}) and run it until nextStageSafe is true.`;
  }
  return undefined;
}

/** A pool that runs another mode than its target asks: the resize to zero and back out. */
function resizeDance(
  ctx: PoolContext,
  live: LivePool,
  mode: NodeMode,
  action: Omit<PoolAction, "scale">,
  targetChange: boolean,
): PoolVerdict {
  const { label } = ctx;
  const size = ctx.input.configuredSize;
  const to = size ? ` to ${size}` : "";
  if (targetChange) {
    return verdict({
      settled: false,
      action: { ...action, scale: "zero" },
      thisRun: [
        `sets ${label}'s target to ${action.target} and resizes it to 0 nodes (it runs ${mode} with ${live.nodes} nodes).`,
      ],
      nextRun: [
        `scales ${label} back out${to} once it has drained; its nodes join in ${joining(ctx, action.target).join(" or ")}.`,
      ],
    });
  }
  if (live.nodes === 0 && live.steady && ctx.input.configuredEmpty) {
    // Nothing runs and nothing will join until someone scales it out: the target is set, and
    // the rules keep serving every mode its next nodes may join in.
    return verdict({
      action: { ...action, scale: "configured" },
      thisRun: [
        `leaves ${label} at 0 nodes, as configured: whenever it is scaled out, its nodes join in ${joining(ctx, action.target).join(" or ")}.`,
      ],
    });
  }
  if (live.nodes === 0 && live.steady) {
    return verdict({
      settled: false,
      action: { ...action, scale: "configured" },
      thisRun: [
        `scales ${label} back out${to}; its nodes join in ${joining(ctx, action.target).join(" or ")}.`,
      ],
      nextRun: [`confirms the mode ${label} runs (live currentNodeCommunicationMode).`],
    });
  }
  if (live.targetNodes === 0 || !live.steady) {
    return verdict({
      settled: false,
      action: { ...action, scale: "zero" },
      thisRun: [`keeps ${label} at 0 nodes while it drains (${live.nodes} nodes left).`],
      nextRun: [`scales ${label} back out once it has drained.`],
    });
  }
  // The target was set without a resize to zero (in the portal, say): Azure applies it only
  // after one, and it honours Simplified wherever the region offers it, so this ends.
  return verdict({
    settled: false,
    action: { ...action, scale: "zero" },
    thisRun: [
      `resizes ${label} to 0 nodes: its target is ${action.target} but it runs ${mode}, so its target was set without the resize to zero that applies it.`,
    ],
    nextRun: [`scales ${label} back out once it has drained.`],
  });
}

/** A pool in the mode its target asks, or as close as Azure will go: at most a target write or a wait. */
function inPlace(
  ctx: PoolContext,
  live: LivePool,
  mode: NodeMode,
  action: PoolAction,
  targetChange: boolean,
): PoolVerdict {
  const { label } = ctx;
  const thisRun: string[] = [];
  const nextRun: string[] = [];
  let settled = true;
  if (targetChange) {
    thisRun.push(`sets ${label}'s target to ${action.target} (it already runs ${mode}).`);
    nextRun.push(`confirms ${label}'s target is ${action.target}.`);
    settled = false;
  }
  if (mode !== asked(ctx, action.target) && !targetChange) {
    // Only a Classic target gets here: Azure ran the pool in Simplified after all.
    thisRun.push(
      `leaves ${label} in Simplified although its target is Classic: Azure no longer honours Classic (31 March 2026). The rules serve both modes; nothing more this stage can do (resize the pool to zero and back by hand to ask again).`,
    );
  }
  if (!live.steady) {
    const size = ctx.input.configuredSize;
    thisRun.push(`leaves ${label} resizing to its configured size${size ? ` (${size})` : ""}.`);
    nextRun.push(`finds ${label} at its configured size.`);
    settled = false;
  }
  return verdict({ thisRun, nextRun, settled, action });
}

/** A pool the stage declares, as its live read shows it. */
function keptPool(ctx: PoolContext, observation: PoolObservation, target: NodeMode): PoolVerdict {
  const { live } = observation;
  const action = { role: observation.role, name: observation.name, declared: true, target };
  if (live === "unknown" || !live.exists) return newPool(ctx, action);
  const mode = live.current ?? ctx.input.confirmedLiveMode;
  const configured = { ...action, scale: "configured" as const };
  const refusal = gate(ctx, live, mode);
  if (refusal) return verdict({ settled: false, action: configured, refusal });
  const final = ctx.input.stage === "api-2025-06-01";
  // At the last stage the target is not written (API 2025-06-01 has no such property).
  const targetChange = !final && live.target !== undefined && live.target !== target;
  const base = [...joining(ctx, live.target ?? target), ...joining(ctx, target)];
  if (mode === undefined) {
    return verdict({
      needs: [...new Set([...base, ...NODE_MODES])],
      action: configured,
      thisRun: [
        `keeps ${ctx.label} at its configured size: ${UNREPORTED}, so the resize to apply a mode cannot be tracked; resize it to zero and back by hand, then set confirmedLiveMode to the mode it runs.`,
      ],
    });
  }
  // A Classic target Azure ran in Simplified after the pool came back out: it will not change.
  const cameBackOut = live.steady && live.nodes > 0 && live.targetNodes !== 0;
  const honoured =
    mode === asked(ctx, target) ||
    (target === Classic && !targetChange && mode === Simplified && cameBackOut);
  const found = honoured
    ? inPlace(ctx, live, mode, configured, targetChange)
    : resizeDance(ctx, live, mode, action, targetChange);
  const pool = final
    ? {
        ...found,
        thisRun: [
          `declares ${ctx.label} at API 2025-06-01, without the mode property (an update of the same pool: its type is aliased, never replaced); it runs ${mode}.`,
          ...found.thisRun,
        ],
      }
    : found;
  // Running nodes keep their mode; a pool scaling out from zero may bring its last one back.
  const scalingOut =
    pool.action?.scale === "configured" && live.nodes === 0 && !ctx.input.configuredEmpty;
  const needs = [...new Set([...base, ...(active(live) || scalingOut ? [mode] : [])])];
  return { ...pool, needs };
}

function merge(verdicts: readonly PoolVerdict[]): PoolVerdict {
  const refusals = verdicts.flatMap((v) => (v.refusal ? [v.refusal] : []));
  return {
    thisRun: verdicts.flatMap((v) => v.thisRun),
    nextRun: verdicts.flatMap((v) => v.nextRun),
    needs: [...new Set(verdicts.flatMap((v) => v.needs))],
    explains: [...new Set(verdicts.flatMap((v) => v.explains))],
    settled: verdicts.every((v) => v.settled),
    ...(refusals.length > 0 ? { refusal: refusals.join("\n") } : {}),
  };
}

/** What holding `held` beyond the stage's rules means for the run, in words. */
function holdingText(
  held: readonly NodeMode[],
  stage: MigrationStage,
): { now: string; next: string } {
  return {
    now: `keeps the ${held.join(" and ")} rules this run (stage ${stage} serves ${describeModes(stageSettings(stage).ruleModes)}): a pool's nodes run in or may join in ${held.join(" and ")} until this run's changes are in place.`,
    next: `removes the ${held.join(" and ")} rules once the live read shows no pool needs them.`,
  };
}

/** Decides one `pulumi up` (or preview) at a stage from a live read of the pools. */
export function decideRun(input: RunInput): RunDecision {
  const stage = stageSettings(input.stage);
  const declared = stagePools(input.stage, input.strategy);
  const region = { simplifiedAvailable: input.simplifiedAvailable ?? true };
  const liveModes: { [role: string]: string } = {};
  const perPool = input.pools.map((observation) => {
    const { role, name, live } = observation;
    liveModes[role] =
      live === "unknown" ? "unknown" : !live.exists ? "none" : (live.current ?? "unreported");
    const ctx: PoolContext = {
      input,
      stage,
      configKey: input.configKey ?? DEFAULT_STAGE_CONFIG_KEY,
      label: describe(role, name),
      region,
    };
    const wanted = declared.find((p) => p.role === role);
    return wanted ? keptPool(ctx, observation, wanted.target) : leavingPool(ctx, live);
  });
  const all = merge(perPool);
  const actions = perPool.flatMap((v) => (v.action ? [v.action] : []));
  const held = all.needs.filter((m) => !stage.ruleModes.includes(m));
  const appliedRuleModes = NODE_MODES.filter(
    (m) => stage.ruleModes.includes(m) || held.includes(m),
  ).filter((m) => region.simplifiedAvailable || m === Classic);
  if (all.refusal) {
    return {
      refusal: all.refusal,
      appliedRuleModes,
      pools: actions,
      thisRun: [],
      nextRun: [],
      settled: false,
      liveModes,
    };
  }
  const thisRun = [...all.thisRun];
  const nextRun = [...all.nextRun];
  const unexplained = held.filter((m) => !all.explains.includes(m));
  if (unexplained.length > 0) {
    const text = holdingText(unexplained, input.stage);
    thisRun.push(text.now);
    nextRun.push(text.next);
  }
  const settled = all.settled && held.length === 0;
  if (thisRun.length === 0)
    thisRun.push(
      `leaves every pool as it is (each already runs as this stage asks); the rules serve ${describeModes(appliedRuleModes)}.`,
    );
  if (settled) nextRun.push("changes nothing: this stage is complete.");
  return { appliedRuleModes, pools: actions, thisRun, nextRun, settled, liveModes };
}
