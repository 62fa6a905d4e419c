/**
 * Lists of resources a pool is created after. Most are known when the program runs (the NSG
 * the component makes, its private endpoints), and those stay plain arrays: an Output holding
 * resources costs Pulumi a walk of every resource it holds, its outputs and its parent, each
 * time an Output is derived from it (to find unknowns); on 200 environments under the mocks
 * that was a tenth of construction. Only a list that depends on the run (the rules declared
 * on an existing NSG, from the applied network) is an Output.
 */
import * as pulumi from "@pulumi/pulumi";

export type ResourceList = pulumi.Input<pulumi.Resource[]>;

/** The lists one after the other: a plain array when every list is one, else one Output. */
export function concatResources(...lists: ResourceList[]): ResourceList {
  if (lists.every((l): l is pulumi.Resource[] => Array.isArray(l))) return lists.flat();
  return pulumi.all(lists).apply((all) => all.flat());
}
