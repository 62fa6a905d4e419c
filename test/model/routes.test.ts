import { expect } from "chai";
import { CommunicationMode, forcedTunnelRoutes } from "../../src/model";
import { fieldsOf, problemsOf } from "../support/errors";

const { Classic, Simplified, Default } = CommunicationMode;
const appliance = { nextHopType: "VirtualAppliance" as const, nextHopIpAddress: "10.0.1.4" };

describe("forcedTunnelRoutes", () => {
  it("sends BatchNodeManagement.<region> to the Internet for each mode, beside the default route", () => {
    for (const modes of [[Classic], [Simplified], [Default]]) {
      const plan = forcedTunnelRoutes("West US 2", modes, { defaultRoute: appliance });
      expect(plan.routes).to.deep.equal([
        {
          name: "BatchNodeManagementToInternet",
          addressPrefix: "BatchNodeManagement.westus2",
          nextHopType: "Internet",
        },
        {
          name: "DefaultToAppliance",
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.0.1.4",
        },
      ]);
    }
  });

  it("tells classic users the appliance must pass Storage, or routes it around when asked", () => {
    expect(
      forcedTunnelRoutes("westus2", [Classic], { defaultRoute: appliance }).notes[0],
    ).to.contain("Storage.westus2");
    expect(forcedTunnelRoutes("westus2", [Simplified], { defaultRoute: appliance }).notes).to.be
      .empty;
    const bypass = forcedTunnelRoutes("westus2", [Classic], { classicStorageBypass: true });
    expect(bypass.routes.map((r) => [r.addressPrefix, r.nextHopType])).to.deep.equal([
      ["BatchNodeManagement.westus2", "Internet"],
      ["Storage.westus2", "Internet"],
    ]);
  });

  it("needs no node management route for simplified nodes behind a nodeManagement private endpoint", () => {
    expect(
      forcedTunnelRoutes("westus2", [Simplified], { nodeManagementPrivateEndpoint: true }).routes,
    ).to.be.empty;
    expect(
      forcedTunnelRoutes("westus2", [Classic, Simplified], { nodeManagementPrivateEndpoint: true })
        .routes,
    ).to.have.length(1);
  });

  it("accepts a gateway without an IP", () => {
    const plan = forcedTunnelRoutes("usgovvirginia", [Simplified], {
      defaultRoute: { nextHopType: "VirtualNetworkGateway" },
    });
    expect(plan.routes[1]).to.deep.equal({
      name: "DefaultToAppliance",
      addressPrefix: "0.0.0.0/0",
      nextHopType: "VirtualNetworkGateway",
    });
  });

  it("rejects a bad next hop, region and modes at once", () => {
    const problems = problemsOf(() =>
      forcedTunnelRoutes("nowhere", [], {
        defaultRoute: { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1" },
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal(["region", "modes", "defaultRoute.nextHopIpAddress"]);
    expect(
      fieldsOf(
        problemsOf(() =>
          forcedTunnelRoutes("westus2", [Classic], {
            defaultRoute: { nextHopType: "Internet" as never },
          }),
        ),
      ),
    ).to.deep.equal(["defaultRoute.nextHopType"]);
    expect(
      fieldsOf(
        problemsOf(() =>
          forcedTunnelRoutes("westus2", [Classic], {
            defaultRoute: { nextHopType: "VirtualNetworkGateway", nextHopIpAddress: "10.0.0.1" },
          }),
        ),
      ),
    ).to.deep.equal(["defaultRoute.nextHopIpAddress"]);
  });
});
