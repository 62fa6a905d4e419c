import { expect } from "chai";
import {
  CommunicationMode,
  decideRun,
  LivePool,
  MigrationStage,
  nextStage,
  PoolObservation,
  previousStage,
  RunInput,
  stagePools,
  stageSettings,
  STAGE_ORDER,
} from "../../src/model";

const { Classic, Simplified } = CommunicationMode;

function live(
  current: "Classic" | "Simplified" | undefined,
  overrides: Partial<LivePool> = {},
): LivePool {
  return {
    exists: true,
    current: current,
    target: current,
    nodes: 2,
    targetNodes: 2,
    steady: true,
    ...overrides,
  };
}
const GONE: LivePool = { exists: false, nodes: 0, steady: true };

function run(stage: MigrationStage, pools: PoolObservation[], extra: Partial<RunInput> = {}) {
  return decideRun({ stage, strategy: "in-place", pools, ...extra });
}

describe("stages", () => {
  it("follow the issue's table: pool target and the modes the rules serve", () => {
    // A Classic target may get Simplified nodes since 31 March 2026, so every stage whose
    // pool targets Classic serves Simplified too.
    expect(STAGE_ORDER.map((s) => stageSettings(s))).to.deep.equal([
      { poolTarget: Classic, ruleModes: [Classic, Simplified], apiVersion: "2024-07-01" },
      { poolTarget: Classic, ruleModes: [Classic, Simplified], apiVersion: "2024-07-01" },
      { poolTarget: Simplified, ruleModes: [Classic, Simplified], apiVersion: "2024-07-01" },
      { poolTarget: Simplified, ruleModes: [Simplified], apiVersion: "2024-07-01" },
      { poolTarget: Simplified, ruleModes: [Simplified], apiVersion: "2025-06-01" },
    ]);
    expect(nextStage("union")).to.equal("simplified-pool");
    expect(nextStage("simplified")).to.equal("api-2025-06-01");
    expect(nextStage("api-2025-06-01")).to.equal(undefined);
    expect(previousStage("classic")).to.equal(undefined);
  });

  it("new-pool: the replacement appears at simplified-pool and the original goes at simplified", () => {
    const roles = (s: MigrationStage) =>
      stagePools(s, "new-pool").map((p) => `${p.role}:${p.target}`);
    expect(roles("union")).to.deep.equal(["original:Classic"]);
    expect(roles("simplified-pool")).to.deep.equal(["original:Classic", "replacement:Simplified"]);
    expect(roles("simplified")).to.deep.equal(["replacement:Simplified"]);
  });
});

describe("decideRun: the gate", () => {
  it("refuses to narrow to simplified while the pool still runs classic, naming pool, live mode and remedy", () => {
    const decision = run("simplified", [
      { role: "original", name: "pool-a", live: live("Classic") },
    ]);
    expect(decision.refusal).to.contain("pool pool-a still runs Classic");
    expect(decision.refusal).to.contain("pulumi config set stage simplified-pool && pulumi up");
  });

  it("lets a pool go back to classic from simplified: the classic stage still serves Simplified", () => {
    const decision = run("classic", [
      { role: "original", name: "pool-a", live: live("Simplified") },
    ]);
    expect(decision.refusal).to.equal(undefined);
    expect(decision.appliedRuleModes).to.deep.equal([Classic, Simplified]);
    expect(decision.pools[0]).to.include({ target: Classic, scale: "zero" });
  });

  it("refuses the API 2025-06-01 stage until the pool was read running Simplified", () => {
    const classic = run("api-2025-06-01", [
      { role: "original", name: "p", live: live("Classic", { target: Simplified }) },
    ]);
    expect(classic.refusal)
      .to.contain("pool p still runs Classic")
      .and.contain("without the mode property")
      .and.contain("pulumi config set stage simplified-pool");
    const simplified = run("api-2025-06-01", [
      { role: "original", name: "p", live: live("Simplified") },
    ]);
    expect(simplified.refusal).to.equal(undefined);
    expect(simplified.pools[0].target).to.equal(Simplified);
    expect(simplified.settled).to.equal(true);
  });

  it("lets a narrowing stage through once the pool runs the narrower mode", () => {
    const decision = run("simplified", [
      { role: "original", name: "pool-a", live: live("Simplified") },
    ]);
    expect(decision.refusal).to.equal(undefined);
    expect(decision.appliedRuleModes).to.deep.equal([Simplified]);
    expect(decision.settled).to.equal(true);
  });

  it("never refuses a widening stage", () => {
    for (const stage of ["union", "simplified-pool"] as const) {
      for (const mode of ["Classic", "Simplified", undefined] as const) {
        expect(
          run(stage, [{ role: "original", name: "p", live: live(mode) }]).refusal,
          `${stage} ${mode}`,
        ).to.equal(undefined);
      }
    }
  });

  it("a pool that does not exist yet needs nothing: it is created in the stage's mode", () => {
    const decision = run("simplified", [{ role: "original", name: "p", live: GONE }]);
    expect(decision.refusal).to.equal(undefined);
    expect(decision.thisRun.join()).to.contain("creates pool p with target Simplified");
    expect(decision.settled).to.equal(false);
  });

  it("an unknown pool (preview of its creation) is treated as created by this deployment", () => {
    const decision = run("classic", [{ role: "original", live: "unknown" }]);
    expect(decision.refusal).to.equal(undefined);
    expect(decision.thisRun.join()).to.contain("creates the new pool");
    expect(decision.liveModes.original).to.equal("unknown");
  });

  it("a live read without the mode property refuses to narrow unless the user confirmed the mode", () => {
    const silent = live(undefined, { target: undefined });
    const refused = run("simplified", [{ role: "original", name: "p", live: silent }]);
    expect(refused.refusal).to.contain("2025-06-01").and.contain("confirmedLiveMode");
    const confirmed = run("simplified", [{ role: "original", name: "p", live: silent }], {
      confirmedLiveMode: Simplified,
    });
    expect(confirmed.refusal).to.equal(undefined);
    const wrong = run("simplified", [{ role: "original", name: "p", live: silent }], {
      confirmedLiveMode: Classic,
    });
    expect(wrong.refusal).to.contain("still runs Classic");
    // A reported mode always wins over the confirmation.
    expect(
      run("simplified", [{ role: "original", name: "p", live: live("Classic") }], {
        confirmedLiveMode: Simplified,
      }).refusal,
    ).to.contain("still runs Classic");
  });
});

describe("decideRun: the in-place resize", () => {
  const at = (l: LivePool) => run("simplified-pool", [{ role: "original", name: "p", live: l }]);
  it("sets the target and drains to zero first", () => {
    const decision = at(live("Classic", { target: Classic }));
    expect(decision.pools[0].scale).to.equal("zero");
    expect(decision.thisRun[0]).to.contain(
      "sets pool p's target to Simplified and resizes it to 0 nodes",
    );
    expect(decision.nextRun[0]).to.contain("scales pool p back out");
  });
  it("keeps it at zero while it drains", () => {
    expect(
      at(live("Classic", { target: Simplified, nodes: 1, targetNodes: 0, steady: false })).pools[0]
        .scale,
    ).to.equal("zero");
  });
  it("scales back out once drained", () => {
    const decision = at(
      live("Classic", { target: Simplified, nodes: 0, targetNodes: 0, steady: true }),
    );
    expect(decision.pools[0].scale).to.equal("configured");
    expect(decision.settled).to.equal(false);
  });
  it("drains again if it came back in the old mode", () => {
    expect(
      at(live("Classic", { target: Simplified, nodes: 2, targetNodes: 2 })).pools[0].scale,
    ).to.equal("zero");
  });
  it("is settled once the pool runs its target", () => {
    const decision = at(live("Simplified", { target: Simplified }));
    expect(decision.pools[0].scale).to.equal("configured");
    expect(decision.settled).to.equal(true);
    expect(decision.nextRun).to.deep.equal(["changes nothing: this stage is complete."]);
  });
});

describe("decideRun: never narrow in the run that changes a target", () => {
  it("keeps the rules of the target a drained pool moves away from until the change is in place", () => {
    // A drained pool still reporting Classic, at the narrowing stage: the run sets its target
    // to Simplified, but until that lands its next node could still join in Classic.
    const drained = live("Classic", { target: Classic, nodes: 0, targetNodes: 0 });
    const decision = run("simplified", [{ role: "original", name: "p", live: drained }]);
    expect(decision.refusal).to.equal(undefined);
    expect(decision.appliedRuleModes).to.deep.equal([Classic, Simplified]);
    expect(decision.pools[0].target).to.equal(Simplified);
    expect(decision.thisRun.join(" ")).to.contain("keeps the Classic rules this run");
    expect(decision.nextRun.join(" ")).to.contain("removes the Classic rules");
    const after = run("simplified", [
      { role: "original", name: "p", live: live("Simplified", { target: Simplified }) },
    ]);
    expect(after.appliedRuleModes).to.deep.equal([Simplified]);
  });
});

describe("decideRun: new-pool holds the rules of a pool on its way out", () => {
  it("keeps the classic rules while the original pool is deleted, then narrows", () => {
    const first = decideRun({
      stage: "simplified",
      strategy: "new-pool",
      pools: [
        { role: "original", name: "old", live: live("Classic") },
        { role: "replacement", name: "new", live: live("Simplified") },
      ],
    });
    expect(first.refusal).to.equal(undefined);
    expect(first.appliedRuleModes).to.deep.equal([Classic, Simplified]);
    expect(first.thisRun.join(" "))
      .to.contain("deletes pool old")
      .and.contain("keeps the Classic rules");
    const second = decideRun({
      stage: "simplified",
      strategy: "new-pool",
      pools: [
        { role: "original", name: "old", live: GONE },
        { role: "replacement", name: "new", live: live("Simplified") },
      ],
    });
    expect(second.appliedRuleModes).to.deep.equal([Simplified]);
    expect(second.settled).to.equal(true);
  });

  it("does not hold for a pool that is already empty", () => {
    const decision = decideRun({
      stage: "simplified",
      strategy: "new-pool",
      pools: [
        { role: "original", name: "old", live: live("Classic", { nodes: 0, targetNodes: 0 }) },
        { role: "replacement", name: "new", live: live("Simplified") },
      ],
    });
    expect(decision.appliedRuleModes).to.deep.equal([Simplified]);
  });
});
