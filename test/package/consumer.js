// A consumer program of the packed package, run from a fresh project that installed only the
// tarball and registry packages. It uses both components under Pulumi's mocks (its own small
// ones, as any user would write) and prints what they produced.
const pulumi = require("@pulumi/pulumi");

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      const name = args.inputs.poolName || args.inputs.accountName || `${args.name}-id`;
      const state = { ...args.inputs, name };
      if (args.type === "azure-native:batch:Pool")
        state.currentNodeCommunicationMode = args.inputs.targetNodeCommunicationMode;
      if (args.type === "random:index/randomString:RandomString") state.result = "abc123";
      return { id: `/subscriptions/0/${args.type}/${name}`, state };
    },
    call: (args) => {
      if (args.token === "azure-native:batch:getPool") {
        // How azure-native reports Azure's answer for a pool that does not exist (azcore's form).
        const message =
          "request failed: GET https://management.azure.com/pools/x\n" +
          "RESPONSE 404: 404 Not Found\nERROR CODE: PoolNotFound";
        throw Object.assign(new Error(message), { details: message });
      }
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  "test",
);

const {
  BatchEnvironment,
  NodeCommunicationMigration,
  securityRules,
} = require("azure-batch-network");

function value(output) {
  return new Promise((resolve) => output.apply(resolve));
}

(async () => {
  pulumi.log.warn = async () => undefined;
  pulumi.log.info = async () => undefined;
  const env = new BatchEnvironment("consumer-env", {
    location: "westus2",
    communicationMode: "Simplified",
  });
  const migration = new NodeCommunicationMigration("consumer-migration", {
    location: "westus2",
    stage: "union",
  });
  const result = {
    envMode: await value(env.currentNodeCommunicationMode),
    envRules: (await value(env.securityRules)).map((r) => r.name),
    migrationRuleModes: await value(migration.ruleModes),
    migrationNext: await value(migration.nextCommand),
    modelRules: securityRules("westus2", ["Simplified"]).rules.map((r) => r.name),
    simulation: typeof require("azure-batch-network/simulate").AzureSimulation,
    internalsHidden: (() => {
      try {
        require("azure-batch-network/bin/model");
        return false;
      } catch (error) {
        return error.code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
      }
    })(),
  };
  process.stdout.write(JSON.stringify(result));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exitCode = 1;
});
