/** A pool's inbound NAT pools and the NSG rules Batch applies to their public ports. */
import { isObject } from "../../json";
import { shown } from "../../printable";
import { addressKind } from "../../addresses";
import { Access, enumValues, InboundEndpointProtocol } from "../../enums";
import { NAT_POOLS } from "../../limits";
import { parsePortRange } from "../../ports";
import type { Problem } from "../../problems";
import { NatPool, natPoolAccessOf, natPoolSourcesProblem } from "../../natPools";
import type { InboundNatPoolSettings } from "../settings";
import { isWhole, oneOf } from "./fields";

const NAT_POOL_NAME = /^[A-Za-z0-9_][\w.-]{0,76}[\w]?$/;

function checkNatPool(pool: InboundNatPoolSettings, at: string): Problem[] {
  const problems: Problem[] = [];
  const protocolProblem = oneOf(
    pool.protocol,
    enumValues(InboundEndpointProtocol),
    `${at}.protocol`,
  );
  if (protocolProblem) problems.push(protocolProblem);
  if (!isWhole(pool.backendPort, 1, 65535)) {
    problems.push({
      field: `${at}.backendPort`,
      message: `${shown(pool.backendPort)} is not a port from 1 to 65535.`,
    });
  } else if (NAT_POOLS.reservedBackendPorts.includes(pool.backendPort)) {
    problems.push({
      field: `${at}.backendPort`,
      message: `${pool.backendPort} is reserved by Batch (29876 and 29877 carry node management); choose another port.`,
    });
  }
  const { frontendPortRangeStart: start, frontendPortRangeEnd: end } = pool;
  const reserved = NAT_POOLS.reservedFrontend;
  const ports = NAT_POOLS.frontendPorts;
  if (!isWhole(start, ports.min, ports.max) || !isWhole(end, ports.min, ports.max) || start > end) {
    problems.push({
      field: `${at}.frontendPortRangeStart`,
      message: `${shown(start)}-${shown(end)} is not a frontend port range; Batch takes ports from ${ports.min} to ${ports.max}, start <= end.`,
    });
  } else {
    if (end - start + 1 < ports.leastPerPool)
      problems.push({
        field: `${at}.frontendPortRangeEnd`,
        message: `${start}-${end} holds ${end - start + 1} ports; Batch needs at least ${ports.leastPerPool} in a NAT pool's frontend range (e.g. ${start}-${Math.min(ports.max, start + ports.leastPerPool - 1)}).`,
      });
    if (start <= reserved.to && end >= reserved.from)
      problems.push({
        field: `${at}.frontendPortRangeStart`,
        message: `${start}-${end} overlaps ${reserved.from}-${reserved.to}, which Batch reserves; choose a range outside it.`,
      });
  }
  return problems;
}

function checkNatRules(pools: readonly InboundNatPoolSettings[], field: string): Problem[] {
  const problems: Problem[] = [];
  const rules = pools.flatMap((p, i) =>
    (isObject(p) && Array.isArray(p.networkSecurityGroupRules) ? p.networkSecurityGroupRules : [])
      .map((r, j) => ({ r, at: `${field}[${i}].networkSecurityGroupRules[${j}]` }))
      .filter(({ r, at }) => {
        if (isObject(r)) return true;
        problems.push({ field: at, message: `must be an NSG rule object, not ${shown(r)}.` });
        return false;
      }),
  );
  if (rules.length > NAT_POOLS.maxRules) {
    problems.push({
      field,
      message: `has ${rules.length} NSG rules across its NAT pools; Azure allows at most ${NAT_POOLS.maxRules}.`,
    });
  }
  const { min, max } = NAT_POOLS.rulePriority;
  const priorities = new Map<number, string>();
  for (const { r, at } of rules) {
    if (!isWhole(r.priority, min, max)) {
      problems.push({
        field: `${at}.priority`,
        message: `${shown(r.priority)} is not allowed; use a whole number from ${min} to ${max}.`,
      });
    } else if (priorities.has(r.priority)) {
      problems.push({
        field: `${at}.priority`,
        message: `${r.priority} is also the priority of ${priorities.get(r.priority)}; NAT pool rule priorities must be unique.`,
      });
    } else {
      priorities.set(r.priority, at);
    }
    const accessProblem = oneOf(r.access, enumValues(Access), `${at}.access`);
    if (accessProblem) problems.push(accessProblem);
    if (
      typeof r.sourceAddressPrefix !== "string" ||
      addressKind(r.sourceAddressPrefix) === "invalid"
    ) {
      problems.push({
        field: `${at}.sourceAddressPrefix`,
        message: `${shown(r.sourceAddressPrefix)} is not *, an IP, a CIDR prefix or a service tag.`,
      });
    }
    (r.sourcePortRanges ?? []).forEach((range, k) => {
      if (typeof range !== "string" || !parsePortRange(range)) {
        problems.push({
          field: `${at}.sourcePortRanges[${k}]`,
          message: `${shown(range)} is not *, a port or a range low-high.`,
        });
      }
    });
  }
  return problems;
}

function overlaps(a: NatPool, b: NatPool): boolean {
  return (
    a.frontendPortRangeStart <= b.frontendPortRangeEnd &&
    b.frontendPortRangeStart <= a.frontendPortRangeEnd
  );
}

/**
 * Problems of the pool's own NAT pools together with the ones SSH and RDP add: Azure's limits
 * apply to all of them at once.
 */
export function checkRemoteAccessNatPools(
  given: readonly InboundNatPoolSettings[],
  remote: readonly NatPool[],
): Problem[] {
  if (remote.length === 0) return [];
  // The pool's own NAT pools that are not objects are reported by checkNatPools.
  const own = given.filter(isObject);
  const field = "network.remoteAccess";
  const problems: Problem[] = [];
  const all = [...own, ...remote];
  if (all.length > NAT_POOLS.maxPools) {
    problems.push({
      field,
      message: `adds ${remote.length} NAT pool(s) to the pool's ${own.length}; Azure allows at most ${NAT_POOLS.maxPools}.`,
    });
  }
  const rules = all.flatMap((p): unknown[] =>
    Array.isArray(p.networkSecurityGroupRules) ? p.networkSecurityGroupRules : [],
  );
  if (rules.length > NAT_POOLS.maxRules) {
    problems.push({
      field,
      message: `needs ${rules.length} NAT pool rules with the pool's own (one per source prefix, plus one denying the rest); Azure allows at most ${NAT_POOLS.maxRules}. Give fewer, wider prefixes.`,
    });
  }
  for (const extra of remote) {
    own.forEach((pool, i) => {
      const clash =
        pool.name === extra.name
          ? `the name "${extra.name}"`
          : pool.backendPort === extra.backendPort
            ? `backend port ${extra.backendPort}`
            : isWhole(pool.frontendPortRangeStart, 1) &&
                isWhole(pool.frontendPortRangeEnd, 1) &&
                overlaps(pool, extra)
              ? `frontend ports ${extra.frontendPortRangeStart}-${extra.frontendPortRangeEnd}`
              : // Rules that are not a list are reported by checkNatPools.
                (Array.isArray(pool.networkSecurityGroupRules)
                    ? pool.networkSecurityGroupRules
                    : []
                  ).some((r) =>
                    (extra.networkSecurityGroupRules ?? []).some(
                      (x) => isObject(r) && x.priority === r.priority,
                    ),
                  )
                ? "NAT rule priorities"
                : undefined;
      if (clash) {
        problems.push({
          field,
          message: `gives the pool a NAT pool "${extra.name}" that clashes with pool.inboundNatPools[${i}] on ${clash}; give SSH/RDP through one of them only.`,
        });
      }
    });
  }
  return problems;
}

/** Every problem with a pool's inbound NAT pools, named under `field`. */
export function checkNatPools(pools: readonly InboundNatPoolSettings[], field: string): Problem[] {
  const problems: Problem[] = [];
  if (pools.length > NAT_POOLS.maxPools) {
    problems.push({
      field,
      message: `has ${pools.length} NAT pools; Azure allows at most ${NAT_POOLS.maxPools}.`,
    });
  }
  const seenNames = new Map<string, number>();
  pools.forEach((pool, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(pool)) {
      problems.push({ field: at, message: `must be a NAT pool object, not ${shown(pool)}.` });
      return;
    }
    if (typeof pool.name !== "string" || !NAT_POOL_NAME.test(pool.name)) {
      problems.push({
        field: `${at}.name`,
        message: `${shown(pool.name)} is not a valid NAT pool name (letters, digits, _ . -, at most 77).`,
      });
    } else if (seenNames.has(pool.name.toLowerCase())) {
      problems.push({
        field: `${at}.name`,
        message: `"${pool.name}" is also the name of ${field}[${seenNames.get(pool.name.toLowerCase())}].`,
      });
    } else {
      seenNames.set(pool.name.toLowerCase(), i);
    }
    problems.push(...checkNatPool(pool, at));
    const [{ sources }] = natPoolAccessOf([pool]);
    const sourceProblem = natPoolSourcesProblem(
      sources.filter((source) => typeof source === "string"),
    );
    if (sourceProblem) {
      problems.push({ field: `${at}.networkSecurityGroupRules`, message: sourceProblem });
    }
  });
  problems.push(...checkNatRules(pools.filter(isObject), field));
  return problems;
}
