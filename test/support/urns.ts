/** The URNs a deployment under the mocks gave its resources, as the engine would. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): { getRegisteredResources?: () => Map<string, unknown> } | undefined;
};

/** Every URN registered since the mocks were last installed, sorted. */
export function registeredUrns(): string[] {
  const monitor = settings.getMonitor();
  if (!monitor?.getRegisteredResources) throw new Error("the Pulumi mocks are not installed");
  return [...monitor.getRegisteredResources().keys()].sort();
}
