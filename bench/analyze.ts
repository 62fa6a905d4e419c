/**
 * The analyzer on large inputs: a 1,000-rule NSG checked for every mode, and 1,000 NSGs of 50
 * rules. Rules are generated, deterministic, and never match a Batch flow before the last one,
 * so every flow walks the whole list (the worst case).
 */
import {
  analyzeNetwork,
  CommunicationMode,
  NetworkSecurityGroup,
  parseNetworkSecurityGroup,
} from "../src/model";
import { formatMiB, formatMs, median } from "./stats";

function syntheticNsg(name: string, rules: number): NetworkSecurityGroup {
  const securityRules = Array.from({ length: rules }, (_, i) => ({
    name: `rule-${i}`,
    priority: 100 + i,
    direction: i % 2 ? "Inbound" : "Outbound",
    access: i % 3 ? "Allow" : "Deny",
    protocol: ["Tcp", "Udp", "*"][i % 3],
    sourceAddressPrefix: i % 5 ? `10.${i % 250}.0.0/16` : "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefixes: [`172.16.${i % 250}.0/24`, `192.168.${i % 250}.0/24`],
    destinationPortRanges: [`${1000 + (i % 500)}`, "8000-8080"],
  }));
  return parseNetworkSecurityGroup({ name, location: "westus2", securityRules }, `${name}.json`);
}

const MODES: Array<[string, CommunicationMode[]]> = [
  ["classic", [CommunicationMode.Classic]],
  ["simplified", [CommunicationMode.Simplified]],
  ["union", [CommunicationMode.Classic, CommunicationMode.Simplified]],
];

export function analyzeBench(): string[] {
  const lines = [
    "analyzer (targets: a 1,000-rule NSG under 5 ms; 1,000 NSGs of 50 rules under 1 s)",
  ];
  for (const [label, modes] of MODES) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const nsg = syntheticNsg(`big-${i}`, 1000); // fresh: no cached sort
      const start = process.hrtime.bigint();
      analyzeNetwork({ region: "westus2", modes, subnetNsg: nsg });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    lines.push(
      `  1,000-rule NSG, ${label.padEnd(10)}: median ${formatMs(median(times))}, max ${formatMs(Math.max(...times))} (30 runs)`,
    );
  }
  const nsgs = Array.from({ length: 1000 }, (_, i) => syntheticNsg(`nsg-${i}`, 50));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const start = process.hrtime.bigint();
  for (const nsg of nsgs) {
    analyzeNetwork({ region: "westus2", modes: [CommunicationMode.Default], subnetNsg: nsg });
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const total = Number(process.hrtime.bigint() - start) / 1e6;
  lines.push(
    `  1,000 NSGs of 50 rules, both modes: ${formatMs(total)} (${formatMs(total / 1000)} an NSG), heap growth at peak ${formatMiB(peak - before)}, rss ${formatMiB(process.memoryUsage().rss)}`,
  );
  return lines;
}
