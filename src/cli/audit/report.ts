/**
 * What `azure-batch-network audit` reports: reads export files and folders (streaming large
 * ones into the inventory), judges the fleet with the model's audit, and gives each change the
 * az line that makes it. ./render.ts lays it out.
 */
import {
  auditFleet,
  azCommand,
  FleetAudit,
  MergedChanges,
  PoolAudit,
  InventoryBuilder,
} from "../../model";
import { subscriptionOfResourceId } from "../../model/ids";
import { withFlagNames } from "../exit";
import { readJsonInputs } from "../io/files";
import { collectGarbage } from "./memory";

/**
 * The audit as the command reports it: the model's, with files it did not read, each change
 * with the az line that makes it. Rendered by ./render.ts.
 */
export interface AuditReport extends Omit<FleetAudit, "pools" | "changes"> {
  readonly pools: ReturnType<typeof poolView>[];
  readonly changes: ReturnType<typeof changesView>[];
}

/** A progress line on a terminal's stderr, once a run has taken more than a second. */
function progressLine(): (text: string) => void {
  const start = Date.now();
  const tty = process.stderr.isTTY === true;
  return (text) => {
    if (tty && Date.now() - start > 1000) process.stderr.write(`\r\u001b[K${text}`);
  };
}

function poolView(p: PoolAudit) {
  return {
    pool: p.pool,
    poolId: p.poolId,
    account: p.account,
    subscription: p.subscription,
    region: p.region,
    subnetId: p.subnetId,
    nsg: p.nsg,
    routeTable: p.routeTable,
    target: p.target,
    current: p.current,
    judgedModes: p.judgedModes,
    status: p.status,
    why: p.why,
    flows: (p.analysis?.flows ?? []).map((f) => ({
      flow: f.flow.id,
      peer: f.flow.peer[0],
      verdict: f.verdict,
      rules: f.rules,
      route: f.route,
      reason: f.reason,
    })),
    privateDns: p.analysis?.privateDns.map((d) => d.message) ?? [],
    missing: p.missing,
    sharesSubnetWith: p.sharesSubnetWith,
    sharesSubnetWithCount: p.sharesSubnetWithCount,
    ...(p.notes ? { notes: p.notes } : {}),
  };
}

function changesView(c: MergedChanges) {
  const command = (a: MergedChanges["advice"][number]) =>
    a.change
      ? {
          command: azCommand(a.change, {
            resourceGroup: c.resourceGroup,
            subscription: subscriptionOfResourceId(c.id),
          }),
        }
      : {};
  return {
    ...c,
    advice: c.advice.map((a) => ({ ...a, ...command(a) })),
  };
}

/** Reads the exports under `paths` and audits them. @throws CliInputError on bad input. */
export function auditExports(paths: readonly string[]): AuditReport {
  const progress = progressLine();
  // Each file goes into the inventory as it is read: a streamed export leaves only its
  // parsed facts in memory.
  const builder = new InventoryBuilder();
  const skipped = withFlagNames({}, () =>
    readJsonInputs(
      paths,
      "audit",
      {
        document: (source, json) => builder.addDocument(source, json),
        streamed: (source, stream) => {
          builder.beginDocument(source);
          stream({
            item: (node, at) => builder.addResource(node, at),
            field: (key, value) => builder.addField(key, value),
          });
          builder.endDocument();
        },
      },
      progress,
    ),
  );
  const inventory = withFlagNames({}, () => builder.build());
  // The files' text and documents are garbage now: collected before judging adds its own.
  collectGarbage();
  const audit = auditFleet(inventory, (done, total) =>
    progress(`audit: judged ${done}/${total} pools`),
  );
  progress("");
  return {
    ...audit,
    skipped: [...skipped, ...audit.skipped],
    pools: audit.pools.map(poolView),
    changes: audit.changes.map(changesView),
  };
}

export { renderAudit, renderAuditMarkdown, renderAuditSummary } from "./render";
export { writeReportFile } from "../output/file";
