import { expect } from "chai";
import fc from "fast-check";
import {
  analyzeNetwork,
  applyToNsg,
  applyToRouteTable,
  auditFleet,
  poolInput,
  idKey,
  readExports,
} from "../../src/model";
import { generateFleet } from "../../bench/fleet";

describe("auditFleet on a generated fleet with known answers", () => {
  const fleet = generateFleet({ pools: 240, subnets: 60, nsgs: 24, rulesPerNsg: 30, seed: 7 });
  const inventory = readExports(fleet.documents);
  const audit = auditFleet(inventory);

  it("reads every export and names the one that is not", () => {
    expect(inventory.pools).to.have.length(240);
    expect(audit.skipped.map((s) => s.source)).to.deep.equal(["notes.json"]);
  });

  it("gives every pool the status its network calls for", () => {
    const wrong = audit.pools
      .filter((p) => fleet.expected.get(p.poolId) !== p.status)
      .map((p) => `${p.pool}: ${p.status}, expected ${fleet.expected.get(p.poolId)} (${p.why})`);
    expect(wrong).to.deep.equal([]);
    // The fleet has every status, so the comparison means something.
    expect(new Set(audit.pools.map((p) => p.status))).to.have.all.keys(
      "ok",
      "at-risk",
      "broken",
      "no-vnet",
    );
  });

  it("says what is missing and the command that would export it, never guessing", () => {
    const undecided = audit.pools.filter((p) => p.missing.length > 0);
    expect(undecided.length).to.be.above(0);
    for (const p of undecided) {
      expect(p.status, p.pool).to.be.oneOf(["at-risk", "broken"]);
      expect(p.missing[0].command).to.match(
        /^az network ((vnet|nsg|route-table) show --ids \/subscriptions\/|manager list-effective-security-admin-rule --resource-group )/,
      );
      // Without its NSG or route table a pool is not judged at all; without a layer around them
      // (the VNet's admin rules) it is judged, and what that layer could decide stays undecided.
      const layerOnly = p.missing.every((m) => m.what === "VNet's security admin rules");
      if (!layerOnly) expect(p.analysis, p.pool).to.equal(undefined);
      else
        expect(
          p.analysis!.layers.notJudged.map((m) => m.layer),
          p.pool,
        ).to.include("admin-rules");
    }
    // A zone-grouped endpoint's address is read from its network interface.
    expect(audit.pools.some((p) => p.analysis?.flows[0].flow.peer[0] === "10.255.0.4")).to.equal(
      true,
    );
  });

  it("names the pools sharing a subnet", () => {
    const shared = audit.pools.find((p) => p.sharesSubnetWith.length > 0)!;
    const others = audit.pools.filter((p) => shared.sharesSubnetWith.includes(p.pool));
    expect(others.every((o) => o.subnetId === shared.subnetId)).to.equal(true);
  });

  it("after the merged changes, every pool each NSG serves fares no worse, and gets every flow the NSG and route stopped (random fleets)", () => {
    let fixed = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const random = generateFleet({ pools: 60, subnets: 16, nsgs: 12, rulesPerNsg: 15, seed });
        const inv = readExports(random.documents);
        const result = auditFleet(inv);
        for (const pool of result.pools.filter((p) => p.analysis)) {
          const record = inv.pools.find((p) => p.id === pool.poolId)!;
          const { input } = poolInput(inv, record, pool.region!, pool.judgedModes);
          const ids = [input.subnetNsg, input.routeTable]
            .map((r) => (r as { id?: string } | undefined)?.id)
            .filter((x): x is string => !!x)
            .map(idKey);
          const changes = result.changes
            .filter((c) => ids.includes(idKey(c.id)))
            .flatMap((c) => c.advice.flatMap((a) => (a.change ? [a.change] : [])));
          const after = analyzeNetwork({
            ...input,
            ...(input.subnetNsg ? { subnetNsg: changes.reduce(applyToNsg, input.subnetNsg) } : {}),
            ...(input.routeTable
              ? { routeTable: changes.reduce(applyToRouteTable, input.routeTable) }
              : {}),
          });
          // With a layer missing nothing is fixed for certain: only "no worse" holds there.
          const complete = pool.missing.length === 0;
          pool.analysis!.flows.forEach((before, i) => {
            const now = after.flows[i];
            const rank = { allowed: 0, undecided: 1, blocked: 2 } as const;
            expect(rank[now.verdict], `seed ${seed}: ${pool.pool} ${now.flow.id}`).to.be.at.most(
              rank[before.verdict],
            );
            // A flow only the NSG or the route stopped is let through by the merged changes.
            const others = before.layers.filter((l) => l.layer !== "nsg" && l.layer !== "route");
            if (
              complete &&
              others.every((l) => l.outcome !== "blocked" && l.outcome !== "undecided")
            )
              expect(
                now.verdict,
                `seed ${seed}: ${pool.pool} ${now.flow.id}: ${now.reason}`,
              ).to.equal("allowed");
          });
          if (pool.status !== "ok") fixed++;
        }
      }),
      { numRuns: 15 },
    );
    expect(fixed).to.be.above(30);
  });

  it("never removes from a shared NSG what one of its pools needs, nor calls it not needed", () => {
    // An NSG of the union kind serves classic pools and simplified-only pools alike: the
    // classic rules a simplified pool does not need stay, and are not called "not needed".
    const shared = audit.changes.filter((c) =>
      audit.pools.some((p) => c.poolIds.includes(p.poolId) && p.judgedModes.includes("Classic")),
    );
    expect(shared.length).to.be.above(0);
    for (const c of shared) {
      expect(c.advice.filter((a) => a.kind === "not-needed")).to.deep.equal([]);
      expect(c.withheld.filter((w) => w.advice.kind === "not-needed")).to.deep.equal([]);
    }
  });
});

describe("auditFleet's merged changes on a shared NSG", () => {
  const sub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg";
  const account = `${sub}/providers/Microsoft.Batch/batchAccounts/acct`;
  const vnet = `${sub}/providers/Microsoft.Network/virtualNetworks/vnet`;
  const nsgId = `${sub}/providers/Microsoft.Network/networkSecurityGroups/shared`;
  const pool = (name: string, mode: string) => ({
    id: `${account}/pools/${name}`,
    name,
    type: "Microsoft.Batch/batchAccounts/pools",
    properties: {
      targetNodeCommunicationMode: mode,
      currentNodeCommunicationMode: mode,
      networkConfiguration: { subnetId: `${vnet}/subnets/batch` },
    },
  });
  const rule = (
    name: string,
    priority: number,
    direction: string,
    ports: string,
    peer: string,
  ) => ({
    name,
    priority,
    direction,
    access: "Allow",
    protocol: direction === "Inbound" ? "Tcp" : "*",
    sourceAddressPrefix: direction === "Inbound" ? peer : "*",
    sourcePortRange: "*",
    destinationAddressPrefix: direction === "Inbound" ? "*" : peer,
    destinationPortRange: ports,
  });
  // A classic pool whose inbound flow gets through on 29876 only (29877 falls to
  // DenyAllInBound), on one NSG with a simplified pool, for which the 29876 rule is left over.
  // The simplified pool comes first, so its removal is judged before the classic pool's fix.
  const documents = [
    {
      source: "account.json",
      json: {
        id: account,
        name: "acct",
        type: "Microsoft.Batch/batchAccounts",
        location: "westus2",
      },
    },
    {
      source: "pools.json",
      json: { value: [pool("modern", "Simplified"), pool("legacy", "Classic")] },
    },
    {
      source: "vnet.json",
      json: {
        id: vnet,
        name: "vnet",
        type: "Microsoft.Network/virtualNetworks",
        location: "westus2",
        subnets: [
          {
            id: `${vnet}/subnets/batch`,
            name: "batch",
            addressPrefix: "10.0.0.0/24",
            networkSecurityGroup: { id: nsgId },
          },
        ],
      },
    },
    {
      source: "nsg.json",
      json: {
        id: nsgId,
        name: "shared",
        type: "Microsoft.Network/networkSecurityGroups",
        location: "westus2",
        securityRules: [
          rule("ClassicInbound29876", 1000, "Inbound", "29876", "BatchNodeManagement.westus2"),
          rule("BatchOutbound", 1001, "Outbound", "443", "BatchNodeManagement.westus2"),
          rule("StorageOutbound", 1002, "Outbound", "443", "Storage.westus2"),
        ],
      },
    },
  ];

  it("withholds a removal that costs a pool one port of a flow already blocked on another", () => {
    const audit = auditFleet(readExports(documents));
    const legacy = audit.pools.find((p) => p.pool === "legacy")!;
    // The classic flow is blocked either way (29877): its verdict alone cannot tell the harm.
    expect(legacy.status).to.equal("broken");
    const changes = audit.changes.find((c) => c.name === "shared")!;
    const kept = changes.advice.flatMap((a) =>
      a.change?.action === "remove-rule" ? [a.rule] : [],
    );
    expect(kept).to.not.include("ClassicInbound29876");
    // A rule the classic pool still needs is no leftover of this NSG: not offered, not remarked.
    expect(changes.withheld.map((w) => w.advice.rule)).to.not.include("ClassicInbound29876");
  });
});
