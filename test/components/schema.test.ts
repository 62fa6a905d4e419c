import { expect } from "chai";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { BatchEnvironment } from "../../src/components/batchEnvironment";
import { NodeCommunicationMigration } from "../../src/components/nodeCommunicationMigration";

interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  description?: string;
}
interface Schema {
  name: string;
  resources: Record<
    string,
    {
      isComponent: boolean;
      inputProperties: Record<string, SchemaProperty>;
      requiredInputs: string[];
      properties: Record<string, SchemaProperty>;
    }
  >;
  types: Record<
    string,
    { properties?: Record<string, SchemaProperty>; enum?: Array<{ value: string }> }
  >;
}

/**
 * The schema Pulumi infers for other languages (`pulumi package add`), built offline the way
 * the nodejs plugin host builds it.
 */
describe("the package schema for other languages", function () {
  this.timeout(60_000);
  let schema: Schema;

  before(async () => {
    const provider = new ComponentProvider({
      name: "azure-batch-network",
      dirname: join(__dirname, "../.."),
      components: [BatchEnvironment, NodeCommunicationMigration],
    });
    schema = JSON.parse(await provider.getSchema()) as Schema;
  });

  it("PulumiPlugin.yaml declares the nodejs runtime", () => {
    expect(parse(readFileSync(join(__dirname, "../../PulumiPlugin.yaml"), "utf8"))).to.deep.equal({
      runtime: "nodejs",
    });
  });

  it("has both components under the package's name, with their required inputs", () => {
    expect(schema.name).to.equal("azure-batch-network");
    const env = schema.resources["azure-batch-network:index:BatchEnvironment"];
    const migration = schema.resources["azure-batch-network:index:NodeCommunicationMigration"];
    expect(env.isComponent).to.equal(true);
    expect(migration.isComponent).to.equal(true);
    // communicationMode is optional: Simplified unless given (Azure's own default on VNet pools).
    expect(env.requiredInputs.sort()).to.deep.equal(["location"]);
    expect(migration.requiredInputs.sort()).to.deep.equal(["location", "stage"]);
    expect(Object.keys(env.inputProperties)).to.include.members([
      "account",
      "network",
      "pool",
      "privateEndpoints",
      "ruleModes",
      "tags",
      "batchApiVersion",
    ]);
    expect(Object.keys(env.properties)).to.include.members([
      "accountName",
      "nodeManagementEndpoint",
      "poolName",
      "currentNodeCommunicationMode",
      "securityRules",
      "outboundDependencies",
    ]);
    expect(Object.keys(migration.properties)).to.include.members([
      "nextStageSafe",
      "nextCommand",
      "liveNodeCommunicationMode",
      "runSummary",
    ]);
  });

  it("types everything: no `any`, enums for Azure's enumerations", () => {
    expect(JSON.stringify(schema)).to.not.contain("pulumi.json#/Any");
    const enumValues = (name: string) =>
      schema.types[`azure-batch-network:index:${name}`].enum!.map((e) => e.value);
    expect(enumValues("CommunicationMode")).to.deep.equal(["Classic", "Simplified", "Default"]);
    expect(enumValues("MigrationStage")).to.deep.equal([
      "classic",
      "union",
      "simplified-pool",
      "simplified",
      "api-2025-06-01",
    ]);
    expect(enumValues("BatchApiVersion")).to.deep.equal(["2024-07-01", "2025-06-01"]);
    expect(enumValues("IPAddressProvisioningType")).to.deep.equal([
      "BatchManaged",
      "UserManaged",
      "NoPublicIPAddresses",
    ]);
    const env = schema.resources["azure-batch-network:index:BatchEnvironment"];
    expect(env.inputProperties.communicationMode.$ref).to.equal(
      "#/types/azure-batch-network:index:CommunicationMode",
    );
    expect(env.properties.securityRules.items?.$ref).to.equal(
      "#/types/azure-batch-network:index:SecurityRuleSpec",
    );
    expect(env.properties.poolName.type).to.equal("string");
    expect(
      schema.resources["azure-batch-network:index:NodeCommunicationMigration"].properties
        .nextStageSafe.type,
    ).to.equal("boolean");
  });

  it("accepts the Pulumi YAML example (examples/yaml): known types, known properties, required inputs", () => {
    const program = parse(
      readFileSync(join(__dirname, "../../examples/yaml/Pulumi.yaml"), "utf8"),
    ) as {
      resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    };
    const unknown: string[] = [];
    const walk = (path: string, value: unknown, property: SchemaProperty | undefined) => {
      const ref = property?.$ref ?? property?.items?.$ref;
      const type = ref ? schema.types[ref.replace("#/types/", "")] : undefined;
      if (type?.properties && value && typeof value === "object" && !Array.isArray(value)) {
        for (const [key, v] of Object.entries(value)) {
          if (!(key in type.properties)) unknown.push(`${path}.${key}`);
          else walk(`${path}.${key}`, v, type.properties[key]);
        }
      }
    };
    for (const [name, resource] of Object.entries(program.resources)) {
      const component = schema.resources[resource.type];
      expect(component, resource.type).to.not.equal(undefined);
      for (const required of component.requiredInputs)
        expect(resource.properties, `${name}.${required}`).to.have.property(required);
      for (const [key, value] of Object.entries(resource.properties)) {
        if (!(key in component.inputProperties)) unknown.push(`${name}.${key}`);
        else walk(`${name}.${key}`, value, component.inputProperties[key]);
      }
    }
    expect(unknown).to.deep.equal([]);
    const readme = readFileSync(join(__dirname, "../../docs/components.md"), "utf8");
    expect(readme, "docs/components.md shows the example as it is").to.contain(
      readFileSync(join(__dirname, "../../examples/yaml/Pulumi.yaml"), "utf8").trim(),
    );
  });

  it("documents every input and output, and every property of every object type", () => {
    const undocumented: string[] = [];
    const check = (owner: string, properties: Record<string, SchemaProperty> | undefined) => {
      for (const [key, property] of Object.entries(properties ?? {}))
        if (!property.description) undocumented.push(`${owner}.${key}`);
    };
    for (const [name, resource] of Object.entries(schema.resources)) {
      check(`${name} input`, resource.inputProperties);
      check(`${name} output`, resource.properties);
    }
    for (const [name, type] of Object.entries(schema.types)) check(name, type.properties);
    expect(undocumented).to.deep.equal([]);
  });
});
