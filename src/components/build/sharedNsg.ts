/**
 * One existing NSG carries one environment's rules. The package's rules have fixed names and
 * priorities, so two environments (BatchEnvironment or NodeCommunicationMigration) adding them
 * to the same NSG would overwrite each other's rules, and deleting one environment would take
 * the other's rules away. Claims are kept per program run (per engine connection).
 */
import { shown } from "../../model/printable";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentDesign, Problem } from "../../model";
import type { Ref } from "./context";

const claims = new WeakMap<object, Map<string, string>>();
const OUTSIDE_A_RUN = {};

function runClaims(): Map<string, string> {
  const run = (pulumi.runtime.getMonitor() as object | undefined) ?? OUTSIDE_A_RUN;
  let map = claims.get(run);
  if (!map) {
    map = new Map();
    claims.set(run, map);
  }
  return map;
}

function key(resourceGroup: string, nsg: string): string {
  return `${resourceGroup}/${nsg}`.toLowerCase();
}

/**
 * Records that `component` adds its rules to the NSG, or says which component already does.
 * Names that are still outputs are claimed when they resolve (see {@link claimResolved}).
 */
export function claimExistingNsg(
  component: string,
  design: EnvironmentDesign<Ref>,
): string | undefined {
  const nsg = design.network.existingNetworkSecurityGroup;
  if (!nsg) return undefined;
  const group = nsg.resourceGroupName ?? design.existingResourceGroupName;
  if (typeof nsg.name !== "string" || typeof group !== "string") return undefined;
  return claim(component, group, nsg.name);
}

function claim(component: string, group: string, nsg: string): string | undefined {
  const map = runClaims();
  const owner = map.get(key(group, nsg));
  if (owner !== undefined && owner !== component) return owner;
  map.set(key(group, nsg), component);
  return undefined;
}

/** The message for two environments on one NSG. */
export function sharedNsgMessage(owner: string, nsg: string): string {
  return `${shown(nsg)} already carries the rules of the environment "${owner}" in this program: the package's rules have fixed names and priorities, so two environments on one NSG overwrite each other's rules. Give each environment its own NSG (or subnet), or manage both pools with one environment.`;
}

/** Claims an NSG whose names were outputs, once they resolve; fails the run on a clash. */
export function claimResolved(
  component: string,
  group: pulumi.Output<string>,
  nsg: pulumi.Output<string>,
): pulumi.Output<string> {
  return pulumi.all([group, nsg]).apply(([g, n]) => {
    const owner = claim(component, g, n);
    if (owner !== undefined) {
      throw new pulumi.InputPropertyError({
        propertyPath: "network.existingNetworkSecurityGroup.name",
        reason: sharedNsgMessage(owner, n),
      });
    }
    return n;
  });
}

/** The problem of an environment whose existing NSG another environment of the program claimed. */
export function sharedNsgProblems(component: string, design: EnvironmentDesign<Ref>): Problem[] {
  const owner = claimExistingNsg(component, design);
  const name = design.network.existingNetworkSecurityGroup?.name;
  // Only a name known now is claimed now (outputs are claimed when they resolve).
  return owner === undefined || typeof name !== "string"
    ? []
    : [
        {
          field: "network.existingNetworkSecurityGroup.name",
          message: sharedNsgMessage(owner, name),
        },
      ];
}
