/**
 * The network flows a pool's subnet must allow for each node communication mode, as Microsoft
 * documents them (learn.microsoft.com/azure/batch/simplified-compute-node-communication), plus
 * the optional remote-access flows a user may ask for.
 */
import { shown } from "./printable";
import { addressKind, canonicalPrefix, coversWholeInternet } from "./addresses";
import type { Direction, Protocol } from "./enums";
import { CommunicationMode, NodeMode } from "./modes";
import { InvalidInputError, objectProblem, Problem } from "./problems";
import { checkScope } from "./scope";
import { refuseTooDeepArguments } from "./input/json";

/** Stable identifiers of the flows the package knows; rule names and priorities hang off them. */
export type FlowId =
  | "classic-node-management-inbound"
  | "classic-storage-outbound"
  | "classic-job-manager-outbound"
  | "simplified-node-management-outbound"
  | "remote-ssh-inbound"
  | "remote-rdp-inbound";

/** One flow the subnet must allow. */
export interface Flow {
  readonly id: FlowId;
  readonly direction: Direction;
  readonly protocol: Protocol;
  /** Destination port or range on the receiving side: `443`, `29876-29877`. */
  readonly ports: string;
  /**
   * The other end: the source for inbound flows, the destination for outbound flows. Either a
   * single service tag (`BatchNodeManagement.westus2`) or one or more IP/CIDR prefixes.
   */
  readonly peer: string[];
  /** Modes that need this flow. Empty for flows the user asked for (remote access). */
  readonly modes: NodeMode[];
  /** Why the flow is needed, in one line a user can read. */
  readonly reason: string;
}

/** Options that add or drop optional flows. */
export interface FlowOptions {
  /**
   * Classic only: allow outbound TCP 443 to `BatchNodeManagement.<region>`, which job manager
   * tasks and any task calling the Batch API need. Default `true`.
   */
  readonly classicJobManagerOutbound?: boolean;
  /** Remote access to the nodes; off unless source prefixes are given. */
  readonly remoteAccess?: RemoteAccessOptions;
}

/** Where SSH and RDP may come from. Each list holds IP addresses or CIDR prefixes. */
export interface RemoteAccessOptions {
  /** Source prefixes allowed to reach TCP 22 (SSH) on the nodes. */
  readonly sshSourcePrefixes?: string[];
  /** Source prefixes allowed to reach TCP 3389 (RDP) on the nodes. */
  readonly rdpSourcePrefixes?: string[];
}

/** Service tag of the Batch node management endpoints of a region. */
export function batchNodeManagementTag(region: string): string {
  return `BatchNodeManagement.${region}`;
}

/** Service tag of the Storage accounts of a region. */
export function storageTag(region: string): string {
  return `Storage.${region}`;
}

/** The flows each mode needs, in the order tables and rule priorities follow. */
/**
 * The modes' flows of a region, made once per region and frozen: the analyzer asks for them for
 * every NSG it judges (a thousand files, a fleet of pools), and the same flow objects let it
 * find their packet shapes without building a key.
 */
const MODE_FLOWS = new Map<string, readonly Flow[]>();

function modeFlows(region: string, jobManager: boolean): readonly Flow[] {
  const key = `${region}|${jobManager}`;
  let flows = MODE_FLOWS.get(key);
  if (!flows) {
    flows = Object.freeze(
      makeModeFlows(region, jobManager).map((f) =>
        Object.freeze({ ...f, peer: Object.freeze(f.peer), modes: Object.freeze(f.modes) }),
      ),
    ) as readonly Flow[];
    // Regions are a fixed list, so this stays small; the bound is for a caller inventing names.
    if (MODE_FLOWS.size >= 1_000) MODE_FLOWS.clear();
    MODE_FLOWS.set(key, flows);
  }
  return flows;
}

function makeModeFlows(region: string, jobManager: boolean): Flow[] {
  const nodeManagement = [batchNodeManagementTag(region)];
  const flows: Flow[] = [
    {
      id: "classic-node-management-inbound",
      direction: "Inbound",
      protocol: "Tcp",
      ports: "29876-29877",
      peer: nodeManagement,
      modes: [CommunicationMode.Classic],
      reason: "Classic: the Batch service connects in to the node agents to manage the nodes.",
    },
    {
      id: "classic-storage-outbound",
      direction: "Outbound",
      protocol: "Tcp",
      ports: "443",
      peer: [storageTag(region)],
      modes: [CommunicationMode.Classic],
      reason: "Classic: nodes reach the region's Storage for the service's queues and files.",
    },
  ];
  if (jobManager) {
    flows.push({
      id: "classic-job-manager-outbound",
      direction: "Outbound",
      protocol: "Tcp",
      ports: "443",
      peer: nodeManagement,
      modes: [CommunicationMode.Classic],
      reason: "Classic: job manager tasks and tasks that call Batch reach the Batch service.",
    });
  }
  flows.push({
    id: "simplified-node-management-outbound",
    direction: "Outbound",
    protocol: "*",
    ports: "443",
    peer: nodeManagement,
    modes: [CommunicationMode.Simplified],
    reason: "Simplified: nodes connect out to the Batch node management endpoint (any protocol).",
  });
  return flows;
}

function remoteAccessFlows(remote: RemoteAccessOptions | undefined): Flow[] {
  const flows: Flow[] = [];
  if (remote?.sshSourcePrefixes?.length) {
    flows.push({
      id: "remote-ssh-inbound",
      direction: "Inbound",
      protocol: "Tcp",
      ports: "22",
      peer: [...remote.sshSourcePrefixes],
      modes: [],
      reason: "Requested: SSH to the nodes from the given prefixes.",
    });
  }
  if (remote?.rdpSourcePrefixes?.length) {
    flows.push({
      id: "remote-rdp-inbound",
      direction: "Inbound",
      protocol: "Tcp",
      ports: "3389",
      peer: [...remote.rdpSourcePrefixes],
      modes: [],
      reason: "Requested: RDP to the nodes from the given prefixes.",
    });
  }
  return flows;
}

// Words that would open remote access to everyone: refused, not quietly narrowed. Prefixes
// that do (any /0, or several covering every address) are found by coversWholeInternet.
const OPEN_TO_ALL = new Set(["*", "internet", "any"]);

const WHOLE_INTERNET =
  "would open remote access to the whole internet; give the IP addresses or CIDR prefixes of your admin networks.";

/** Problems with flow options, each naming its field under `path`. */
export function validateFlowOptions(options: FlowOptions | undefined, path = ""): Problem[] {
  const problems: Problem[] = [];
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const jobManager = options?.classicJobManagerOutbound;
  if (jobManager !== undefined && typeof jobManager !== "boolean") {
    problems.push({
      field: at("classicJobManagerOutbound"),
      message: `must be true or false, not ${shown(jobManager)}.`,
    });
  }
  const lists: Array<[string, readonly string[] | undefined]> = [
    ["remoteAccess.sshSourcePrefixes", options?.remoteAccess?.sshSourcePrefixes],
    ["remoteAccess.rdpSourcePrefixes", options?.remoteAccess?.rdpSourcePrefixes],
  ];
  for (const [field, prefixes] of lists) {
    if (prefixes !== undefined && !Array.isArray(prefixes)) {
      problems.push({
        field: at(field),
        message: "must be a list of IP addresses or CIDR prefixes.",
      });
      continue;
    }
    const seen = new Map<string, number>();
    (prefixes ?? []).forEach((prefix: unknown, i) => {
      const where = at(`${field}[${i}]`);
      const kind = typeof prefix === "string" ? addressKind(prefix) : "invalid";
      if (typeof prefix === "string" && OPEN_TO_ALL.has(prefix.toLowerCase())) {
        problems.push({ field: where, message: `${shown(prefix)} ${WHOLE_INTERNET}` });
      } else if (kind !== "ip" && kind !== "cidr") {
        problems.push({
          field: where,
          message: `${shown(prefix)} is not an IP address or CIDR prefix (e.g. 203.0.113.0/24).`,
        });
      } else if (coversWholeInternet([prefix as string])) {
        problems.push({ field: where, message: `${shown(prefix)} ${WHOLE_INTERNET}` });
      } else if ((prefix as string).includes(":")) {
        problems.push({
          field: where,
          message: `${shown(prefix)} is IPv6; Batch pool nodes take remote access over IPv4 only, so it would admit no one. Give the IPv4 addresses or prefixes of your admin networks.`,
        });
      } else {
        const canonical = canonicalPrefix(prefix as string);
        const twin = seen.get(canonical);
        if (twin !== undefined)
          problems.push({
            field: where,
            message: `${shown(prefix)} is ${canonical}, also given at [${twin}]; give each prefix once (Azure refuses a rule naming a prefix twice).`,
          });
        else seen.set(canonical, i);
      }
    });
    const valid = (prefixes ?? []).filter(
      (p: unknown): p is string => typeof p === "string" && ["ip", "cidr"].includes(addressKind(p)),
    );
    if (!problems.some((p) => p.field.startsWith(at(field))) && coversWholeInternet(valid))
      problems.push({
        field: at(field),
        message: `together cover every IPv4 address, which ${WHOLE_INTERNET}`,
      });
  }
  return problems;
}

/**
 * Every flow the subnet must allow for a set of modes in a region: the union of each mode's
 * flows (a `Default` target counts as both), plus requested remote access.
 * @param region programmatic or display name of the region.
 * @throws InvalidInputError for an unknown region, no modes, or invalid options.
 */
export function requiredFlows(
  region: string,
  modes: Iterable<CommunicationMode>,
  options: FlowOptions = {},
): Flow[] {
  refuseTooDeepArguments({ region, modes, options });
  const scope = checkScope(region, modes);
  const shape = objectProblem(options, "options", "flow options");
  const problems = [...scope.problems, ...(shape.length ? shape : validateFlowOptions(options))];
  const { region: known, modes: wanted } = scope;
  if (problems.length > 0 || !known) throw new InvalidInputError(problems);
  return flowsFor(known.name, wanted, options);
}

/**
 * {@link requiredFlows} without validation, for callers that validated already.
 * @param regionName programmatic region name.
 */
export function flowsFor(regionName: string, modes: NodeMode[], options: FlowOptions): Flow[] {
  const jobManager = options.classicJobManagerOutbound ?? true;
  return [
    ...modeFlows(regionName, jobManager).filter((f) => f.modes.some((m) => modes.includes(m))),
    ...remoteAccessFlows(options.remoteAccess),
  ];
}
