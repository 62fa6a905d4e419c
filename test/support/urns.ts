/** The URNs a deployment under the mocks gave its resources, and their aliases, as the engine would. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): { getRegisteredResources?: () => Map<string, unknown> } | undefined;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mocks = require("@pulumi/pulumi/runtime/mocks") as {
  MockMonitor: { prototype: { registerResource: RegisterResource } };
};

interface AliasSpec {
  getName(): string;
  getType(): string;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getAliasesList(): Array<{ getSpec(): AliasSpec | undefined; getUrn(): string }>;
}
type RegisterResource = (
  this: { newUrn(parent: string, type: string, name: string): string },
  req: RegisterRequest,
  callback: (...args: unknown[]) => void,
) => Promise<void>;

/** Alias URNs by the URN of the resource that declared them, for every monitor. */
const aliasesByMonitor = new WeakMap<object, Map<string, string[]>>();

// Pulumi's mock monitor drops the aliases a resource declares; record them on the way in, the
// way the engine reads them: an alias spec names what differs (type, name) from the resource.
const original = mocks.MockMonitor.prototype.registerResource;
mocks.MockMonitor.prototype.registerResource = function (req, callback) {
  const urn = this.newUrn(req.getParent(), req.getType(), req.getName());
  const aliases = req.getAliasesList().map((alias) => {
    const spec = alias.getSpec();
    if (!spec) return alias.getUrn();
    return this.newUrn(
      req.getParent(),
      spec.getType() || req.getType(),
      spec.getName() || req.getName(),
    );
  });
  if (aliases.length > 0) {
    const known = aliasesByMonitor.get(this) ?? new Map<string, string[]>();
    known.set(urn, aliases);
    aliasesByMonitor.set(this, known);
  }
  return original.call(this, req, callback);
};

function monitor() {
  const current = settings.getMonitor();
  if (!current?.getRegisteredResources) throw new Error("the Pulumi mocks are not installed");
  return current as { getRegisteredResources: () => Map<string, unknown> };
}

/** Every URN registered since the mocks were last installed, sorted. */
export function registeredUrns(): string[] {
  return [...monitor().getRegisteredResources().keys()].sort();
}

/** The alias URNs each resource registered since the mocks were installed declared. */
export function registeredAliases(): Map<string, string[]> {
  return new Map(aliasesByMonitor.get(monitor()) ?? []);
}
