import { expect } from "chai";
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as model from "../../src/model";
import { stackConfigValues } from "../../src/model/input/stackFile";
import { validated } from "../../src/model/input/schema";
import { FleetAuditConfigSchema } from "../../policy/config";
import { FULL_SETTINGS } from "../support/untrusted";
import { hostileVersionOf, Mutation, reportingFailureOnly } from "../support/mutations";

/**
 * Every reader of untrusted input, given valid input broken at one place by one hostile
 * mutation (a wrong type, nesting past the limit, a huge value, a name carrying control
 * characters or Markdown, a `__proto__` key, a field taken away, an item repeated): each
 * answers with its typed error (InvalidInputError) or a valid result, never another exception,
 * never a change to Object.prototype, and never a hang (HANG_GUARD_MS is a guard against one,
 * not a speed target: speed is the benchmark's).
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 120);
const HANG_GUARD_MS = 10_000;

const FIXTURES = join(__dirname, "../fixtures");
const EXAMPLES = join(__dirname, "../../examples");
const json = (path: string): unknown => JSON.parse(readFileSync(path, "utf8")) as unknown;
const filesIn = (dir: string, pattern: RegExp) =>
  readdirSync(dir)
    .filter((f) => pattern.test(f))
    .map((f) => json(join(dir, f)));

function answersTyped(run: () => unknown, what: () => string): void {
  const started = performance.now();
  try {
    run();
  } catch (error) {
    if (!(error instanceof model.InvalidInputError))
      expect.fail(`${what()}: threw ${(error as Error)?.stack ?? String(error)}`);
  } finally {
    expect(performance.now() - started, `${what()}: a hang`).to.be.below(HANG_GUARD_MS);
    expect(
      ({} as Record<string, unknown>).polluted,
      `${what()}: Object.prototype changed`,
    ).to.equal(undefined);
  }
}

/** Full settings that are valid: the pool's own NAT pool apart from the one SSH access adds. */
const SETTINGS = {
  ...FULL_SETTINGS,
  pool: {
    ...FULL_SETTINGS.pool,
    inboundNatPools: FULL_SETTINGS.pool.inboundNatPools.map((p) => ({
      ...p,
      name: "admin",
      backendPort: 8022,
      networkSecurityGroupRules: [
        { priority: 300, access: "Allow", sourceAddressPrefix: "203.0.113.0/24" },
      ],
    })),
  },
};

const describeMutation = (path: readonly string[], m: Mutation) =>
  `$${path.map((p) => `[${JSON.stringify(p)}]`).join("")} <- ${JSON.stringify(m).slice(0, 120)}`;

/** A reader, and the valid inputs it is given broken. */
const READERS: Array<[string, unknown[], (input: unknown) => unknown]> = [
  [
    "parseNetworkSecurityGroup",
    filesIn(join(FIXTURES, "network"), /^(union|simplified-only|portal-written)\./),
    (j) => model.parseNetworkSecurityGroup(j, "nsg.json"),
  ],
  [
    "parseRouteTable",
    [json(join(EXAMPLES, "check/route-table.json"))],
    (j) => model.parseRouteTable(j, "rt.json"),
  ],
  [
    "parseSubnet",
    filesIn(join(FIXTURES, "layers"), /^subnet-/),
    (j) => model.parseSubnet(j, "subnet.json"),
  ],
  [
    "parseNatGateway",
    filesIn(join(FIXTURES, "layers"), /^nat-gateway\./),
    (j) => model.parseNatGateway(j, "nat.json"),
  ],
  [
    "parseNetworkInterface",
    filesIn(join(FIXTURES, "layers"), /^private-endpoint-nic/),
    (j) => model.parseNetworkInterface(j, "nic.json"),
  ],
  [
    "parsePrivateEndpoint",
    filesIn(join(FIXTURES, "layers"), /^private-endpoint-(pending|zone-group)/),
    (j) => model.parsePrivateEndpoint(j, "pe.json"),
  ],
  [
    "parseAdminRules",
    filesIn(join(FIXTURES, "layers"), /^admin-rules-(deny|always)/),
    (j) => model.parseAdminRules(j, "admin.json"),
  ],
  [
    "readExports + auditFleet",
    [
      readdirSync(join(EXAMPLES, "audit"))
        .filter((f) => f.endsWith(".json"))
        .map((source) => ({ source, json: json(join(EXAMPLES, "audit", source)) })),
    ],
    (documents) => model.auditFleet(model.readExports(documents as model.ExportDocument[])),
  ],
  ["designEnvironment", [SETTINGS], (s) => model.designEnvironment(s as never)],
  [
    "designMigration",
    [
      {
        ...Object.fromEntries(Object.entries(SETTINGS).filter(([k]) => k !== "communicationMode")),
        stage: "union",
        strategy: "in-place",
      },
    ],
    (s) => model.designMigration(s as never),
  ],
  [
    "forcedTunnelRoutes",
    [
      {
        defaultRoute: { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" },
        classicStorageBypass: true,
        nodeManagementPrivateEndpoint: false,
      },
    ],
    (o) => model.forcedTunnelRoutes("westus2", ["Classic", "Simplified"] as never, o as never),
  ],
  [
    "securityRules",
    [SETTINGS.network],
    (o) => model.securityRules("westus2", ["Classic", "Simplified"] as never, o as never),
  ],
  [
    "stack file",
    [
      {
        config: {
          "azure-batch-network:location": "westus2",
          "azure-batch-network:dedicatedNodes": 2,
          "azure-native:location": "westus2",
        },
      },
    ],
    (d) =>
      stackConfigValues(d, "Pulumi.dev.yaml", "azure-batch-network", [
        "location",
        "dedicatedNodes",
      ]),
  ],
  [
    "policy config",
    [{ exports: ["exports/", "more.json"] }],
    (c) => validated(FleetAuditConfigSchema, c, "policy config"),
  ],
];

describe("every reader against valid input broken by a hostile mutation", () => {
  for (const [name, seeds, read] of READERS) {
    it(`${name}: its typed error or a valid result, in bounded time (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...seeds).chain((seed) => hostileVersionOf(seed)),
          ({ path, mutation, value }) =>
            answersTyped(
              () => read(value),
              () => `${name} ${describeMutation(path, mutation)}`,
            ),
        ),
        reportingFailureOnly(RUNS),
      );
    }).timeout(RUNS * 2_000);
  }

  it("the seeds themselves are valid: each reader accepts its own", () => {
    for (const [name, seeds, read] of READERS)
      for (const seed of seeds) expect(() => read(seed), name).to.not.throw();
  });
});
