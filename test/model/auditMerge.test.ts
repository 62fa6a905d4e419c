import { expect } from "chai";
import { auditFleet, readExports } from "../../src/model";
import type { ExportDocument, FleetAudit, NetworkChange } from "../../src/model";

/**
 * Merged fixes applied as Azure applies them: a Classic and a Simplified pool behind one broad
 * Deny ask for rules at the same free priority; the merged changes must be an NSG Azure accepts
 * (the reader refuses two rules of one priority, as Azure does) and must leave every pool's
 * flows allowed when the exports, changed, are audited again.
 */
const SUB = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg";
const ACCOUNT = `${SUB}/providers/Microsoft.Batch/batchAccounts/acct`;
const VNET = `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet`;
const NSG = `${SUB}/providers/Microsoft.Network/networkSecurityGroups/shared`;

type Rule = Record<string, unknown> & { name: string; priority: number; direction: string };

const deny = (name: string, priority: number, direction: string): Rule => ({
  name,
  priority,
  direction,
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
});

const allowAdmin = (priority: number): Rule => ({
  name: `AllowAdmin${priority}`,
  priority,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "203.0.113.0/24",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "22",
});

function exportsWith(rules: readonly Rule[]): ExportDocument[] {
  const pool = (name: string, mode: string) => ({
    id: `${ACCOUNT}/pools/${name}`,
    name,
    type: "Microsoft.Batch/batchAccounts/pools",
    properties: {
      targetNodeCommunicationMode: mode,
      currentNodeCommunicationMode: mode,
      networkConfiguration: { subnetId: `${VNET}/subnets/batch` },
    },
  });
  return [
    {
      source: "account.json",
      json: {
        id: ACCOUNT,
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
        id: VNET,
        name: "vnet",
        type: "Microsoft.Network/virtualNetworks",
        location: "westus2",
        subnets: [
          {
            id: `${VNET}/subnets/batch`,
            name: "batch",
            addressPrefix: "10.0.0.0/24",
            defaultOutboundAccess: true,
            networkSecurityGroup: { id: NSG },
          },
        ],
      },
    },
    { source: "admin-rules.json", json: { virtualNetworkId: VNET, value: [] } },
    {
      source: "nsg.json",
      json: {
        id: NSG,
        name: "shared",
        type: "Microsoft.Network/networkSecurityGroups",
        location: "westus2",
        securityRules: rules,
      },
    },
  ];
}

/** The NSG's rules with the merged changes made, as `az network nsg rule ...` would make them. */
function applied(rules: readonly Rule[], audit: FleetAudit): Rule[] {
  let out = [...rules];
  for (const merged of audit.changes.filter((c) => c.kind === "nsg"))
    for (const { change } of merged.advice) {
      if (!change) continue;
      const c: NetworkChange = change;
      if (c.action === "add-rule") out.push({ ...c.with });
      else if (c.action === "remove-rule") out = out.filter((r) => r.name !== c.rule);
      else if (c.action === "edit-rule")
        out = out.map((r) => (r.name === c.rule ? { ...r, [c.field]: [...c.result] } : r));
    }
  return out;
}

describe("merged fixes on a shared NSG behind a broad Deny", () => {
  it("give each added rule its own priority and name, and leave every pool's flows allowed", () => {
    // Deny everything at 1000 both ways, with the priorities right in front of it taken.
    const rules = [
      deny("DenyAllOut", 1000, "Outbound"),
      deny("DenyAllIn", 1000, "Inbound"),
      allowAdmin(999),
      allowAdmin(998),
    ];
    const before = auditFleet(readExports(exportsWith(rules)));
    expect(before.pools.map((p) => p.status).sort()).to.deep.equal(["broken", "broken"]);
    const added = before.changes
      .flatMap((c) => c.advice)
      .flatMap((a) => (a.change?.action === "add-rule" ? [a.change.with] : []));
    expect(added.length).to.be.at.least(3);
    for (const direction of ["Inbound", "Outbound"]) {
      const priorities = added.filter((r) => r.direction === direction).map((r) => r.priority);
      expect(new Set(priorities).size, direction).to.equal(priorities.length);
    }
    // Fed back, the changed NSG is read (the reader refuses what Azure refuses) and every pool
    // gets its flows.
    const after = auditFleet(readExports(exportsWith(applied(rules, before))));
    expect(after.pools.map((p) => [p.pool, p.status, p.why])).to.deep.equal(
      before.pools.map((p) => [p.pool, "ok", "every flow its modes need is allowed"]),
    );
    expect(after.changes.flatMap((c) => c.advice).filter((a) => a.change)).to.deep.equal([]);
  });

  it("say what to reorder by hand where the Deny sits at priority 100, instead of dropping it", () => {
    const rules = [deny("DenyAllOut", 100, "Outbound"), deny("DenyAllIn", 100, "Inbound")];
    const audit = auditFleet(readExports(exportsWith(rules)));
    const shared = audit.changes.find((c) => c.name === "shared");
    expect(shared, "the NSG's changes").to.not.equal(undefined);
    const reorder = shared!.advice.filter((a) => !a.change);
    expect(reorder.length).to.be.at.least(1);
    for (const a of reorder) expect(a.message).to.match(/reorder the rules/);
  });
});
