/**
 * Changes the analyzer may advise, as data a script can apply, and the same changes applied to
 * the analyzer's own copy of an NSG or route table: advice is judged by evaluating the network
 * as it would be after the change.
 */
import type { SecurityRuleSpec } from "../securityRule";
import { derivedNsg, insertedInOrder } from "./evaluate";
import type { NetworkSecurityGroup, NsgRule, OutboundPath, RouteTable } from "./network";

/** A list field of a security rule, in Azure's plural spelling. */
export type RuleListField =
  "sourceAddressPrefixes" | "destinationAddressPrefixes" | "destinationPortRanges";

/** One change to one NSG or route table. */
export type NetworkChange =
  | { readonly action: "remove-rule"; readonly nsg: string; readonly rule: string }
  | {
      readonly action: "edit-rule";
      readonly nsg: string;
      readonly rule: string;
      readonly field: RuleListField;
      /** Entries to drop from the field. */
      readonly remove: readonly string[];
      /** Entries to add in their place (the rest of a split range). */
      readonly add: readonly string[];
      /** The whole field after the change. */
      readonly result: readonly string[];
    }
  | {
      readonly action: "replace-rule";
      readonly nsg: string;
      readonly rule: string;
      /** The rule as it should read. */
      readonly with: SecurityRuleSpec;
    }
  | { readonly action: "add-rule"; readonly nsg: string; readonly with: SecurityRuleSpec }
  | {
      readonly action: "add-route";
      readonly routeTable: string;
      readonly route: {
        readonly name: string;
        readonly addressPrefix: string;
        readonly nextHopType: "Internet";
      };
    }
  | {
      /** Give a subnet a new NAT gateway (with a static public IP): its explicit way out. */
      readonly action: "attach-nat-gateway";
      readonly subnet: string;
      /** The subnet's VNet, when its ID says. */
      readonly virtualNetwork?: string;
      /** The NAT gateway to create. */
      readonly natGateway: string;
    };

const FIELD_OF: Readonly<Record<RuleListField, keyof NsgRule>> = {
  sourceAddressPrefixes: "sourceAddresses",
  destinationAddressPrefixes: "destinationAddresses",
  destinationPortRanges: "destinationPorts",
};

/**
 * Whether `change` only adds an Allow rule. Such a change can make no packet fare worse (an
 * Allow that matches before the rule that decided turns blocked into allowed or undecided, and
 * undecided into allowed; one that does not changes nothing), so neither the advice nor the
 * merge judges the network again for it. A property test holds every added Allow to this.
 */
export function addsOnlyAnAllow(change: NetworkChange): boolean {
  return change.action === "add-rule" && change.with.access === "Allow";
}

/** The values a rule holds in `field`. */
export function ruleField(rule: NsgRule, field: RuleListField): readonly string[] {
  return rule[FIELD_OF[field]] as readonly string[];
}

function one<T>(single: T | undefined, plural: readonly T[] | undefined): T[] {
  return single !== undefined ? [single] : [...(plural ?? [])];
}

/** A rule in the package's shape, as the analyzer reads rules. */
export function nsgRuleOf(spec: SecurityRuleSpec): NsgRule {
  return {
    name: spec.name,
    priority: spec.priority,
    direction: spec.direction,
    access: spec.access,
    protocol: spec.protocol,
    sourceAddresses: one(spec.sourceAddressPrefix, spec.sourceAddressPrefixes),
    sourcePorts: one(spec.sourcePortRange, spec.sourcePortRanges),
    destinationAddresses: one(spec.destinationAddressPrefix, spec.destinationAddressPrefixes),
    destinationPorts: one(spec.destinationPortRange, spec.destinationPortRanges),
    sourceAsgs: false,
    destinationAsgs: false,
    isDefault: false,
  };
}

/** A rule the analyzer read, in the package's shape (to paste into `extraRules`). */
export function specOf(rule: NsgRule): SecurityRuleSpec {
  const pick = (single: string, plural: string, values: readonly string[]) =>
    values.length === 1 ? { [single]: values[0] } : { [plural]: [...values] };
  return {
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    ...pick("sourceAddressPrefix", "sourceAddressPrefixes", rule.sourceAddresses),
    ...pick("sourcePortRange", "sourcePortRanges", rule.sourcePorts),
    ...pick("destinationAddressPrefix", "destinationAddressPrefixes", rule.destinationAddresses),
    ...pick("destinationPortRange", "destinationPortRanges", rule.destinationPorts),
  };
}

/** The NSG after `change`; the NSG itself when the change is not about it. */
export function applyToNsg(nsg: NetworkSecurityGroup, change: NetworkChange): NetworkSecurityGroup {
  if (change.action === "add-route" || change.action === "attach-nat-gateway") return nsg;
  if (change.nsg !== nsg.name) return nsg;
  switch (change.action) {
    case "remove-rule": {
      const keep = (r: NsgRule) => r.name !== change.rule;
      return derivedNsg(nsg, nsg.rules.filter(keep), (sorted) => sorted.filter(keep));
    }
    case "edit-rule": {
      const edit = (r: NsgRule) =>
        r.name === change.rule ? { ...r, [FIELD_OF[change.field]]: [...change.result] } : r;
      return derivedNsg(nsg, nsg.rules.map(edit), (sorted) => sorted.map(edit));
    }
    case "replace-rule": {
      const replacement = nsgRuleOf(change.with);
      const keep = (r: NsgRule) => r.name !== change.rule;
      return derivedNsg(nsg, [...nsg.rules.filter(keep), replacement], (sorted, direction) =>
        insertedInOrder(sorted.filter(keep), replacement, direction),
      );
    }
    case "add-rule": {
      const added = nsgRuleOf(change.with);
      return derivedNsg(nsg, [...nsg.rules, added], (sorted, direction) =>
        insertedInOrder(sorted, added, direction),
      );
    }
  }
}

/** The outbound path after `change`: a NAT gateway attached to its subnet. */
export function applyToOutbound(
  outbound: OutboundPath | undefined,
  change: NetworkChange,
): OutboundPath | undefined {
  if (change.action !== "attach-nat-gateway" || !outbound) return outbound;
  if (outbound.subnet.name !== change.subnet) return outbound;
  const { natGateway: _replaced, ...rest } = outbound;
  return {
    ...rest,
    subnet: { ...outbound.subnet, natGatewayId: `natGateways/${change.natGateway}` },
  };
}

/** The route table after `change`. */
export function applyToRouteTable(
  table: RouteTable | undefined,
  change: NetworkChange,
): RouteTable | undefined {
  if (change.action !== "add-route" || !table || table.name !== change.routeTable) return table;
  return { ...table, routes: [...table.routes, { ...change.route }] };
}

// Values the shell takes as they are; anything else is single-quoted.
const SHELL_SAFE = /^[A-Za-z0-9._/:@=,+-]+$/;

function quote(value: string | number): string {
  const text = String(value);
  return SHELL_SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const AZ_FLAG: Readonly<Record<RuleListField, string>> = {
  sourceAddressPrefixes: "--source-address-prefixes",
  destinationAddressPrefixes: "--destination-address-prefixes",
  destinationPortRanges: "--destination-port-ranges",
};

function ruleFlags(spec: SecurityRuleSpec): string[] {
  const values = (single?: string, plural?: readonly string[]) =>
    one(single, plural).map(quote).join(" ");
  return [
    `--priority ${spec.priority}`,
    `--direction ${spec.direction}`,
    `--access ${spec.access}`,
    `--protocol ${quote(spec.protocol)}`,
    `--source-address-prefixes ${values(spec.sourceAddressPrefix, spec.sourceAddressPrefixes)}`,
    `--source-port-ranges ${values(spec.sourcePortRange, spec.sourcePortRanges)}`,
    `--destination-address-prefixes ${values(spec.destinationAddressPrefix, spec.destinationAddressPrefixes)}`,
    `--destination-port-ranges ${values(spec.destinationPortRange, spec.destinationPortRanges)}`,
    ...(spec.description ? [`--description ${quote(spec.description)}`] : []),
  ];
}

/** Where a change lands: the resource's group and subscription. */
export interface AzTarget {
  /** The NSG's, route table's or subnet's group; a placeholder when not known. */
  readonly resourceGroup?: string;
  /**
   * Its subscription, named on the line so that the user's current one never decides where
   * it lands (an audit spans subscriptions).
   */
  readonly subscription?: string;
}

/** The Azure CLI line that makes `change`, in the group and subscription it is for. */
export function azCommand(change: NetworkChange, target: AzTarget = {}): string {
  const g = `-g ${quote(target.resourceGroup ?? "<resource-group>")}${
    target.subscription ? ` --subscription ${quote(target.subscription)}` : ""
  }`;
  switch (change.action) {
    case "remove-rule":
      return `az network nsg rule delete ${g} --nsg-name ${quote(change.nsg)} -n ${quote(change.rule)}`;
    case "edit-rule":
      return `az network nsg rule update ${g} --nsg-name ${quote(change.nsg)} -n ${quote(change.rule)} ${AZ_FLAG[change.field]} ${change.result.map(quote).join(" ")}`;
    case "replace-rule":
      return `az network nsg rule update ${g} --nsg-name ${quote(change.nsg)} -n ${quote(change.rule)} ${ruleFlags(change.with).join(" ")}`;
    case "add-rule":
      return `az network nsg rule create ${g} --nsg-name ${quote(change.nsg)} -n ${quote(change.with.name)} ${ruleFlags(change.with).join(" ")}`;
    case "add-route":
      return `az network route-table route create ${g} --route-table-name ${quote(change.routeTable)} -n ${quote(change.route.name)} --address-prefix ${quote(change.route.addressPrefix)} --next-hop-type Internet`;
    case "attach-nat-gateway": {
      const nat = quote(change.natGateway);
      const ip = quote(`${change.natGateway}-ip`);
      const vnet = quote(change.virtualNetwork ?? "<vnet>");
      return [
        `az network public-ip create ${g} -n ${ip} --sku Standard --allocation-method Static`,
        `az network nat gateway create ${g} -n ${nat} --public-ip-addresses ${ip}`,
        `az network vnet subnet update ${g} --vnet-name ${vnet} -n ${quote(change.subnet)} --nat-gateway ${nat}`,
      ].join(" && ");
    }
  }
}
