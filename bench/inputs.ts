/** The largest NSG the benchmark judges: as many rules as unique priorities allow. */
export const LARGEST_NSG = 7900;

/**
 * Deterministic NSG inputs for the benchmarks, in the shape `az network nsg show -o json`
 * prints: rules that mix directions, protocols, CIDRs, lists and service tags, none matching a
 * Batch flow before Azure's default rules, so every flow walks every rule (the worst case).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function syntheticNsgJson(name: string, rules: number): Record<string, unknown> {
  const securityRules = Array.from({ length: rules }, (_, i) => ({
    name: `rule-${i}`,
    // Unique per direction, as Azure requires: priorities 100-4096 in two directions allow at
    // most 7,994 rules (Azure takes 1,000 an NSG; the largest input is for scaling).
    priority: 100 + (Math.floor(i / 2) % 3997),
    direction: i % 2 ? "Inbound" : "Outbound",
    access: i % 3 ? "Allow" : "Deny",
    protocol: ["Tcp", "Udp", "*"][i % 3],
    sourceAddressPrefix: i % 5 ? `10.${i % 250}.0.0/16` : "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefixes: [
      `172.16.${i % 250}.0/24`,
      i % 4 ? `192.168.${i % 250}.0/24` : "Sql.westus2",
    ],
    destinationPortRanges: [`${1000 + (i % 500)}`, "8000-8080"],
  }));
  return { name, location: "westus2", securityRules };
}

/** Writes the CLI's inputs under `dir`; returns their paths. */
export function writeInputs(dir: string): {
  nsg20: string;
  nsg1000: string;
  many: string[];
} {
  mkdirSync(join(dir, "many"), { recursive: true });
  const write = (file: string, rules: number) => {
    const path = join(dir, file);
    writeFileSync(path, JSON.stringify(syntheticNsgJson(file, rules)));
    return path;
  };
  return {
    nsg20: write("nsg20.json", 20),
    nsg1000: write("nsg1000.json", 1000),
    many: Array.from({ length: 1000 }, (_, i) => write(`many/nsg${i}.json`, 20)),
  };
}
