/**
 * The policy pack as `pulumi preview --policy-pack policy` runs it: the Pulumi CLI starts
 * `node ./node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine address> .` in the pack's
 * folder (its `pulumi-analyzer-policy` plugin), which compiles the TypeScript pack with the
 * pack's own tsconfig.json, reads its package.json version, and serves the analyzer over gRPC on
 * the port it prints. The engine then asks for the pack's policies and sends it the stack.
 * This test plays the engine's part, with a stack the package's own component built under mocks.
 */
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeResponse,
  AnalyzeStackRequest,
  AnalyzerInfo,
  AnalyzerResource,
  AnalyzerResourceOptions,
  EnforcementLevel,
  PolicySeverity,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { RegisteredResource, runDeployment } from "../../src/simulate";
import { captureWarnings, freshMocks } from "../support/pulumi";

const POLICY = join(__dirname, "../../policy");

/** The runner the pack's own @pulumi/pulumi ships, or the repository's when the pack shares it. */
function policyPackRunner(): string {
  const own = join(POLICY, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
  return existsSync(own) ? own : require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
}

/** Starts the pack as the CLI does; resolves with its process and the port it printed. */
function startPack(): Promise<{ pack: ChildProcess; port: number; stderr: () => string }> {
  const pack = spawn(process.execPath, [policyPackRunner(), "127.0.0.1:0", "."], {
    cwd: POLICY,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  pack.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    pack.on("exit", (code) => reject(new Error(`the pack exited (${code}): ${stderr}`)));
    createInterface({ input: pack.stdout }).once("line", (line) =>
      resolve({ pack, port: Number(line), stderr: () => stderr }),
    );
  });
}

function call<Req, Res>(
  method: (req: Req, callback: (error: grpc.ServiceError | null, res: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    method(request, (error, response) => (error ? reject(error) : resolve(response))),
  );
}

/** A registered resource as the engine sends it to a stack policy: its outputs, ID included. */
function analyzerResource(resource: RegisteredResource): AnalyzerResource {
  const properties = JSON.parse(JSON.stringify({ ...resource.state, id: resource.id })) as Record<
    string,
    unknown
  >;
  return new AnalyzerResource()
    .setType(resource.type)
    .setName(resource.name)
    .setUrn(`urn:pulumi:dev::batch::${resource.type}::${resource.name}`)
    .setProperties(Struct.fromJavaScript(properties as never))
    .setOptions(new AnalyzerResourceOptions());
}

/** A stack of one BatchEnvironment, deployed under the mocks. */
async function environmentStack(): Promise<RegisteredResource[]> {
  const { BatchEnvironment } = await import("../../src/components/batchEnvironment");
  const mocks = await freshMocks();
  const { result } = await captureWarnings(() =>
    runDeployment(mocks, () => {
      const env = new BatchEnvironment("policy-env", {
        location: "westus2",
        communicationMode: "Simplified",
      });
      return { pool: env.poolName };
    }),
  );
  return [...result.registered];
}

describe("the policy pack, started through Pulumi's policy-pack runner", function () {
  this.timeout(120_000);
  let pack: ChildProcess;
  let client: AnalyzerClient;
  let packStderr: () => string;

  before(async () => {
    const started = await startPack();
    pack = started.pack;
    packStderr = started.stderr;
    client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  it("loads: names its policies with their severity, remediation steps and documentation", async () => {
    const info = await call<Empty, AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    expect(info.getName()).to.equal("azure-batch-network");
    expect(info.getVersion()).to.equal("0.1.0");
    const policies = new Map(info.getPoliciesList().map((p) => [p.getName(), p]));
    expect([...policies.keys()]).to.have.members([
      "batch-pool-subnet-allows-mode-flows",
      "batch-pool-subnet-leftover-rules",
      "batch-fleet-audit",
    ]);
    const flows = policies.get("batch-pool-subnet-allows-mode-flows")!;
    expect(flows.getEnforcementlevel()).to.equal(EnforcementLevel.MANDATORY);
    expect(flows.getSeverity()).to.equal(PolicySeverity.POLICY_SEVERITY_CRITICAL);
    for (const policy of policies.values()) {
      expect(policy.getRemediationSteps(), policy.getName()).to.match(/azure-batch-network/);
      expect(policy.getUrl(), policy.getName()).to.match(/^https:\/\/.+#policy-pack$/);
    }
  });

  it("validates a stack: the package's own environment passes, and a deny above its rules is reported", async () => {
    const stack = await environmentStack();
    const analyze = (resources: RegisteredResource[]) =>
      call<AnalyzeStackRequest, AnalyzeResponse>(
        client.analyzeStack.bind(client),
        new AnalyzeStackRequest().setResourcesList(resources.map(analyzerResource)),
      ).then((response) =>
        response.getDiagnosticsList().map((d) => ({
          policy: d.getPolicyname(),
          level: d.getEnforcementlevel(),
          message: d.getMessage(),
          urn: d.getUrn(),
        })),
      );

    const clean = await analyze(stack);
    expect(
      clean.filter((d) => d.level === EnforcementLevel.MANDATORY),
      packStderr(),
    ).to.deep.equal([]);

    const denyInternet = {
      name: "DenyInternetOutbound",
      priority: 100,
      direction: "Outbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "Internet",
      destinationPortRange: "*",
    };
    const blocked = stack.map((r) =>
      r.type === "azure-native:network:NetworkSecurityGroup"
        ? {
            ...r,
            state: {
              ...r.state,
              securityRules: [...((r.state.securityRules as unknown[]) ?? []), denyInternet],
            },
          }
        : r,
    );
    const diagnostics = await analyze(blocked);
    const mandatory = diagnostics.filter((d) => d.level === EnforcementLevel.MANDATORY);
    expect(mandatory, packStderr()).to.have.length.greaterThan(0);
    expect(mandatory[0].policy).to.equal("batch-pool-subnet-allows-mode-flows");
    expect(mandatory[0].urn).to.match(/azure-native:batch:Pool::policy-env/);
    expect(mandatory[0].message).to.match(/DenyInternetOutbound/);
  });
});
