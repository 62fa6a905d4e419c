import { expect } from "chai";
import {
  findRegion,
  InvalidInputError,
  nearestRegionNames,
  normaliseRegionName,
  REGIONS,
  resolveRegion,
} from "../../src/model";
import { catchError } from "../support/errors";

describe("regions", () => {
  it("normalises display and programmatic spellings to the service-tag name", () => {
    for (const spelling of ["West US 2", "westus2", "WestUS2", "WESTUS2", " west us 2 "]) {
      expect(normaliseRegionName(spelling), spelling).to.equal("westus2");
    }
    expect(normaliseRegionName("USGov Virginia")).to.equal("usgovvirginia");
    expect(normaliseRegionName("China North 2")).to.equal("chinanorth2");
    expect(normaliseRegionName("China North 1")).to.equal("chinanorth");
    expect(normaliseRegionName("China East 1")).to.equal("chinaeast");
  });

  it("knows the public, US Government and China clouds", () => {
    expect(resolveRegion("westeurope").cloud).to.equal("AzureCloud");
    expect(resolveRegion("usgovtexas").cloud).to.equal("AzureUSGovernment");
    expect(resolveRegion("chinaeast2").cloud).to.equal("AzureChinaCloud");
  });

  it("marks where simplified mode is unavailable, exactly as Microsoft lists it", () => {
    const unavailable = REGIONS.filter((r) => !r.simplifiedAvailable).map((r) => r.name);
    expect(unavailable.sort()).to.deep.equal(
      ["chinaeast", "chinanorth", "usdodcentral", "usdodeast", "usgoviowa", "westindia"].sort(),
    );
    const gov = REGIONS.filter((r) => r.cloud === "AzureUSGovernment" && r.simplifiedAvailable);
    expect(gov.map((r) => r.name).sort()).to.deep.equal([
      "usgovarizona",
      "usgovtexas",
      "usgovvirginia",
    ]);
    expect(findRegion("chinanorth3")?.simplifiedAvailable).to.equal(true);
    expect(findRegion("southindia")?.simplifiedAvailable).to.equal(true);
  });

  it("has one entry per programmatic name, each lowercase without spaces", () => {
    const names = REGIONS.map((r) => r.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const name of names) expect(name).to.match(/^[a-z0-9]+$/);
  });

  it("rejects an unknown name with the nearest known names", () => {
    expect(findRegion("westus9")).to.equal(undefined);
    expect(nearestRegionNames("westus9")).to.include("westus2");
    expect(nearestRegionNames("norwayest")[0]).to.equal("norwayeast");
    const error = catchError(() => resolveRegion("westus9", "location"));
    expect(error).to.be.instanceOf(InvalidInputError);
    const problems = (error as InvalidInputError).problems;
    expect(problems).to.have.length(1);
    expect(problems[0].field).to.equal("location");
    expect(problems[0].message).to.contain('"westus9" is not an Azure region');
    expect(problems[0].message).to.contain('Did you mean "westus"');
    expect(problems[0].message).to.contain('"westus2"');
  });

  it("does not guess hyphenated or partial names", () => {
    expect(findRegion("west-us-2")).to.equal(undefined);
    expect(findRegion("westus2x")).to.equal(undefined);
    expect(findRegion("")).to.equal(undefined);
  });
});
